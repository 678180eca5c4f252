import { z } from 'zod';
import type { FormErrors } from '../views/workspace/case-form.view.js';

type Locale = 'nl' | 'en';
type Issue = z.core.$ZodIssue;

/** A form field that is left empty counts as not given. */
const blank = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * A whole number typed into a form field: '' is missing, anything else is read as a number,
 * so "abc" fails as "not a number" instead of becoming NaN further on.
 */
export function formInt(min: number, max: number) {
  return z.preprocess((value) => {
    const given = blank(value);
    return typeof given === 'string' ? Number(given.trim()) : given;
  }, z.number().int().min(min).max(max));
}

/** A checkbox: present (any value) is on, absent is off. */
export const formCheckbox = z.preprocess((value) => value !== undefined, z.boolean());

/** A form's CSRF field, checked before validation; allowed in every form schema. */
export const csrfFormField = { _csrf: z.string().optional() };

/** The message for one issue, in the user's language, as a person reads it. */
export function formIssueMessage(issue: Issue, locale: Locale, input: unknown): string {
  const nl = locale === 'nl';
  if (Array.isArray(input))
    return nl ? 'Dit veld mag maar één keer worden meegestuurd.' : 'Send this field only once.';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int')
        return nl ? 'Vul een heel getal in.' : 'Enter a whole number.';
      return nl ? 'Vul dit veld in.' : 'Fill in this field.';
    case 'too_small':
      if (issue.origin === 'number')
        return nl ? `Minstens ${String(issue.minimum)}.` : `At least ${String(issue.minimum)}.`;
      if (issue.origin === 'string' && Number(issue.minimum) > 1)
        return nl
          ? `Minstens ${String(issue.minimum)} tekens.`
          : `At least ${String(issue.minimum)} characters.`;
      return nl ? 'Vul dit veld in.' : 'Fill in this field.';
    case 'too_big':
      if (issue.origin === 'number')
        return nl ? `Hoogstens ${String(issue.maximum)}.` : `At most ${String(issue.maximum)}.`;
      return nl
        ? `Hoogstens ${String(issue.maximum)} tekens.`
        : `At most ${String(issue.maximum)} characters.`;
    case 'invalid_value':
      return nl ? 'Kies een van de mogelijkheden.' : 'Choose one of the options.';
    default:
      return issue.message;
  }
}

/** zod issues of a form's schema as FormErrors by field name (the first issue per field). */
export function formIssues(
  issues: readonly Issue[],
  locale: Locale,
  body: Record<string, unknown>,
): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    errors[field] ??= formIssueMessage(issue, locale, body[String(issue.path[0])]);
  }
  return errors;
}

/** Parses a urlencoded form body; on bad input, the messages at their fields. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  locale: Locale,
): { ok: true; data: z.output<S> } | { ok: false; errors: FormErrors } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = (body ?? {}) as Record<string, unknown>;
  return { ok: false, errors: formIssues(parsed.error.issues, locale, fields) };
}

/** The first string of each field of a urlencoded body, to show the form again as typed. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && key !== '_csrf') values[key] = first;
  }
  return values;
}
