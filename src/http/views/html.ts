/**
 * A tiny typed HTML template: `html\`<p>${name}</p>\`` escapes every interpolation unless it
 * is already a SafeHtml (the result of another `html` template, or markup Candor produced
 * itself and marked with trustedHtml). Escaping is the default; opting out is explicit.
 */

import { escapeHtml } from '../../domain/html-escape.js';

export { escapeHtml };

// Only this module holds the key, so nothing else can wrap a string as SafeHtml by accident.
const TRUSTED = Symbol('trusted');

/** Markup that is safe to insert as is. Only `html` and `trustedHtml` make one. */
export class SafeHtml {
  readonly #markup: string;

  constructor(key: typeof TRUSTED, markup: string) {
    if (key !== TRUSTED) throw new TypeError('SafeHtml is made by html`…` or trustedHtml()');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/**
 * What a template accepts. `false`, `null` and `undefined` render nothing, so
 * `${done && html\`…\`}` works; arrays render their items one after another.
 */
export type HtmlValue =
  SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** The tagged template: literal parts are markup, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(TRUSTED, out);
}

/**
 * Marks markup as safe without escaping. Only for HTML Candor generated itself — the compiled
 * notice templates, whose every substituted value was escaped when it was rendered — never for
 * anything that came in from a request, a file or the database as text.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(TRUSTED, markup);
}
