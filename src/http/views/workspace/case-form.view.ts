import { ZodError } from 'zod';
import { ConflictError, ValidationError } from '../../../domain/errors.js';
import { html, type SafeHtml } from '../html.js';

/** Problems with a submitted form, by field name ('' for the form as a whole). */
export type FormErrors = Record<string, string>;

/** A form's error summary: focusable, announced, each entry links to its field. */
export function errorSummary(heading: string, errors: FormErrors, idPrefix: string): SafeHtml {
  const entries = Object.entries(errors);
  if (entries.length === 0) return html``;
  return html`<div class="case-errors" role="alert" tabindex="-1">
    <p><strong>${heading}</strong></p>
    <ul>
      ${entries.map(([field, message]) =>
        field === ''
          ? html`<li>${message}</li>`
          : html`<li><a href="#${idPrefix}-${field}">${message}</a></li>`,
      )}
    </ul>
  </div>`;
}

/** The message under one field, referenced by the field's aria-describedby. */
export function fieldError(errors: FormErrors, field: string, idPrefix: string): SafeHtml {
  const message = errors[field];
  return message
    ? html`<p class="error-text case-field-error" id="${idPrefix}-${field}-error">${message}</p>`
    : html``;
}

/** aria attributes for a field that may have an error. */
export function fieldAria(errors: FormErrors, field: string, idPrefix: string): SafeHtml {
  return errors[field]
    ? html`aria-invalid="true" aria-describedby="${idPrefix}-${field}-error"`
    : html``;
}

/** A labelled whole-number field with its message; ids `<prefix>-<name>`, as the summary links. */
export function numberField(field: {
  prefix: string;
  name: string;
  label: string;
  min: number;
  max: number;
  value: string;
  errors: FormErrors;
}): SafeHtml {
  const { prefix, name, errors } = field;
  return html`<div class="field">
    <label for="${prefix}-${name}">${field.label}</label>
    <input
      id="${prefix}-${name}"
      name="${name}"
      type="number"
      min="${field.min}"
      max="${field.max}"
      value="${field.value}"
      ${fieldAria(errors, name, prefix)}
    />
    ${fieldError(errors, name, prefix)}
  </div>`;
}

/** Turns a zod issue list or a ValidationError's field list into FormErrors. */
export function toFormErrors(
  issues: readonly { field?: string; path?: readonly PropertyKey[]; message: string }[],
): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const field = issue.field ?? (issue.path ?? []).map(String).join('.');
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * The form errors a service error stands for: a zod issue list (the service's schema), a
 * ValidationError's fields, or a ConflictError's message for the form as a whole. Anything
 * else (forbidden, not found, a bug) is not the user's input and returns null to be rethrown.
 */
export function formErrorsFrom(error: unknown): FormErrors | null {
  if (error instanceof ZodError) return toFormErrors(error.issues);
  if (error instanceof ValidationError)
    return error.errors.length ? toFormErrors(error.errors) : { '': error.message };
  if (error instanceof ConflictError) return { '': error.message };
  return null;
}
