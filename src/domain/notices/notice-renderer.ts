import type { Language } from '../language.js';
import { DomainError, ValidationError } from '../errors.js';
import {
  renderEmailLayout,
  renderTextFooter,
  renderTextHeader,
  verifyPageUrl,
} from './email-layout.js';
import {
  compileTemplate,
  UndefinedPlaceholderError,
  type CompiledTemplate,
} from './liquid-fast-render.js';
import { checkLiquidSyntax, createNoticeLiquid, type TemplateProblem } from './liquid-engine.js';
import { compileMarkdownTemplate } from './markdown-template.js';
import { finishPlainText } from './markdown-text.js';
import {
  RENDER_LIMITS,
  renderLimitMessage,
  renderLimitOf,
  type RenderLimit,
} from './render-limits.js';
import { analyzeNotice, type NoticeVariables, type TemplateAnalysis } from './notice-variables.js';

/** One language version of a notice as the author wrote it. */
export interface NoticeSource {
  language: Language;
  /** Plain text with Liquid placeholders. */
  subject: string;
  /** Markdown with Liquid placeholders. */
  body: string;
  /** Inbox preview text (Liquid); by default the first paragraph after the greeting. */
  preheader?: string;
}

/** A notice version compiled once, to be rendered for many recipients. */
export interface CompiledNotice {
  readonly language: Language;
  readonly source: NoticeSource;
  /** The generated Liquid templates, for previews and debugging. */
  readonly htmlTemplate: string;
  readonly textTemplate: string;
  /** Whether all parts take the fast path (see liquid-fast-render.ts). */
  readonly fast: boolean;
  readonly subject: CompiledTemplate;
  readonly html: CompiledTemplate;
  readonly text: CompiledTemplate;
  readonly preheader: CompiledTemplate | null;
}

/** What one recipient gets. `html` is the complete email document. */
export interface RenderedNotice {
  subject: string;
  html: string;
  text: string;
}

/** The notice's templates do not compile; `problems` carry part, line and column. */
export class NoticeTemplateError extends ValidationError {
  constructor(readonly problems: TemplateProblem[]) {
    super(
      `The notice template has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems.map((p) => ({
        field: p.part,
        message: `line ${p.line}, column ${p.column}: ${p.message}`,
      })),
    );
  }
}

/**
 * A recipient's variables lack a value the template needs (strictVariables), or the template
 * ran into a render limit (`limit`, see render-limits.ts).
 */
export class NoticeRenderError extends DomainError {
  constructor(
    message: string,
    readonly part: string,
    readonly path: string | null,
    readonly limit: RenderLimit | null = null,
  ) {
    super(message, { part, path, limit });
  }
}

const htmlLiquid = createNoticeLiquid('html');
const textLiquid = createNoticeLiquid('text');

/**
 * Compiles one language version: checks the Liquid, turns the Markdown body into an HTML and a
 * plain-text Liquid template once, and prepares fast renderers. Throws NoticeTemplateError.
 */
export function compileNotice(source: NoticeSource): CompiledNotice {
  const problems = [
    ...checkLiquidSyntax(textLiquid, source.subject, 'subject'),
    ...checkLiquidSyntax(textLiquid, source.body, 'body'),
    ...(source.preheader === undefined
      ? []
      : checkLiquidSyntax(textLiquid, source.preheader, 'preheader')),
  ];
  if (problems.length > 0) throw new NoticeTemplateError(problems);
  const markdown = compileMarkdownTemplate(source.body, textLiquid, 'body');
  if (markdown.problems.length > 0) throw new NoticeTemplateError(markdown.problems);

  const subject = compileTemplate(textLiquid, textLiquid.parse(source.subject));
  const html = compileTemplate(htmlLiquid, htmlLiquid.parse(markdown.templates.html));
  const text = compileTemplate(textLiquid, textLiquid.parse(markdown.templates.text));
  const preheader =
    source.preheader === undefined
      ? null
      : compileTemplate(textLiquid, textLiquid.parse(source.preheader));
  return {
    language: source.language,
    source,
    htmlTemplate: markdown.templates.html,
    textTemplate: markdown.templates.text,
    fast: subject.fast && html.fast && text.fast && (preheader?.fast ?? true),
    subject,
    html,
    text,
    preheader,
  };
}

/**
 * Everything to report when a notice version is saved or approved: placeholders used, unknown
 * ones, and every problem (Liquid syntax, and Markdown structure once the syntax is right).
 */
export function validateNotice(
  source: NoticeSource,
  available: ReadonlySet<string>,
): TemplateAnalysis {
  const { subject, body, preheader } = source;
  const analysis = analyzeNotice({ subject, body, preheader }, available);
  if (analysis.problems.length === 0) {
    try {
      compileNotice(source);
    } catch (error) {
      if (!(error instanceof NoticeTemplateError)) throw error;
      analysis.problems.push(...error.problems);
    }
  }
  return analysis;
}

/**
 * Renders a compiled notice for one recipient. Choosing the version (the recipient's language,
 * else the default language) is the caller's job. Throws NoticeRenderError when a variable the
 * template needs is undefined — check with `missingValueChecker` before sending.
 */
export function renderNotice(compiled: CompiledNotice, variables: NoticeVariables): RenderedNotice {
  return onceMoreAfterTimeLimit((deadline) => renderNoticeBy(compiled, variables, deadline));
}

/**
 * The time limit is wall-clock time (LiquidJS measures it so), so a busy machine or a
 * garbage-collection pause can push a harmless render over it. A render that hits it gets one
 * more try with a fresh budget: a hostile template fails both (at most twice the limit), a
 * stalled harmless one passes. Beyond that, a render that ran out of time while using less
 * than half of it on the CPU was starved, not slow (two cores shared by several processes, as
 * in a test run or a worker beside a busy server): it gets up to STARVED_TRIES in all. A
 * hostile template burns CPU for its time, so it never counts as starved. Memory and output
 * limits are deterministic and never retried.
 */
function onceMoreAfterTimeLimit<T>(render: (deadline: number) => T): T {
  for (let attempt = 1; ; attempt++) {
    const cpuBefore = process.cpuUsage();
    try {
      return render(performance.now() + RENDER_LIMITS.timeMs);
    } catch (error) {
      if (!(error instanceof NoticeRenderError) || error.limit !== 'time') throw error;
      const cpu = process.cpuUsage(cpuBefore);
      const starved = (cpu.user + cpu.system) / 1000 < RENDER_LIMITS.timeMs / 2;
      if (attempt >= 2 && !(starved && attempt < STARVED_TRIES)) throw error;
    }
  }
}

/** Tries a render starved of the CPU gets before the time limit counts (see above). */
const STARVED_TRIES = 5;

function renderNoticeBy(
  compiled: CompiledNotice,
  variables: NoticeVariables,
  deadline: number,
): RenderedNotice {
  // One time budget for all parts: a notice costs at most RENDER_LIMITS.timeMs, not 4×.
  const subject = oneLine(run(compiled.subject, variables, 'subject', deadline));
  const text = finishPlainText(run(compiled.text, variables, 'body', deadline));
  const contentHtml = finishHtml(run(compiled.html, variables, 'body', deadline));
  const preheader = compiled.preheader
    ? oneLine(run(compiled.preheader, variables, 'preheader', deadline))
    : firstParagraph(text);
  const organisation = variables.organisation;
  const referenceCode = variables.reference_code ?? null;
  const verifyUrl = verifyPageUrl(organisation.security_page_url, compiled.language);
  const html = renderEmailLayout({
    language: compiled.language,
    title: subject,
    preheader,
    contentHtml,
    personalUrl: variables.personal_url,
    referenceCode,
    verifyUrl,
    organisation,
  });
  const header = renderTextHeader(compiled.language, variables.personal_url, referenceCode);
  const footer = renderTextFooter(compiled.language, organisation, { referenceCode, verifyUrl });
  return {
    subject,
    html,
    text: `${header ? `${header}\n\n` : ''}${text}\n\n${footer}\n`,
  };
}

/**
 * The subject and body of a notice for one recipient as plain text, without the email's
 * header and footer: what a printed letter carries (it sets its own link, code and sender).
 */
export function renderNoticeText(
  compiled: CompiledNotice,
  variables: NoticeVariables,
): { subject: string; text: string } {
  return onceMoreAfterTimeLimit((deadline) => ({
    subject: oneLine(run(compiled.subject, variables, 'subject', deadline)),
    text: finishPlainText(run(compiled.text, variables, 'body', deadline)),
  }));
}

function run(
  template: CompiledTemplate,
  variables: NoticeVariables,
  part: string,
  deadline: number,
): string {
  try {
    return template.render(variables, deadline);
  } catch (error) {
    const limit = renderLimitOf(error);
    if (limit) {
      throw new NoticeRenderError(`${part}: ${renderLimitMessage(limit)}`, part, null, limit);
    }
    if (error instanceof UndefinedPlaceholderError) {
      throw new NoticeRenderError(`${part}: ${error.message}`, part, error.path);
    }
    // LiquidJS positions refer to the generated template, not to what the author wrote.
    const message = (error instanceof Error ? error.message : String(error)).replace(
      /, line:\d+, col:\d+/,
      '',
    );
    const path = /undefined variable: ([^,\s]+)/.exec(message)?.[1] ?? null;
    throw new NoticeRenderError(`${part}: ${message}`, part, path);
  }
}

/** Subjects and previews are one line: values with line breaks cannot split a header. */
function oneLine(value: string): string {
  return /\s\s|[^\S ]/.test(value) ? value.replace(/\s+/g, ' ').trim() : value.trim();
}

// Every block element the Markdown compiler emits has a style attribute, so ends in `">`.
const MAYBE_EMPTY = /">\s*<\/(?:p|li|h[1-6]|ul|ol)>/;
const EMPTY_BLOCK = /<(p|li|h[1-6])\b[^>]*>\s*<\/\1>\n?/g;
const EMPTY_LIST = /<(ul|ol)\b[^>]*>\s*<\/\1>\n?/g;

/** Drops paragraphs, list items and then lists that a false `{% if %}` left empty. */
function finishHtml(html: string): string {
  if (!MAYBE_EMPTY.test(html)) return html;
  return html.replace(EMPTY_BLOCK, '').replace(EMPTY_LIST, '');
}

/** Inbox preview: the first paragraph that is not the greeting or a heading, up to ~140 chars. */
function firstParagraph(text: string): string {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n\n', start);
    const block = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length : end + 2;
    const line = oneLine(block);
    if (line === '' || /[,:]$/.test(line) || /\n[=-]{3,}$/.test(block)) continue;
    if (line.length <= 140) return line;
    const cut = line.lastIndexOf(' ', 137);
    return `${line.slice(0, cut > 80 ? cut : 137)}…`;
  }
  return '';
}
