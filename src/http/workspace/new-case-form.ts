import { z } from 'zod';
import { caseKindSchema } from '../../domain/case.js';
import { LIQUID } from '../../domain/statements.js';
import type { FormErrors } from '../views/workspace/case-form.view.js';
import { csrfFormField, parseForm } from './form-errors.js';

type Locale = 'nl' | 'en';

/** A "what happened" text of the new-case form, with the statement rules in the user's words. */
function statementField(locale: Locale) {
  const nl = locale === 'nl';
  return z
    .preprocess(
      // Browsers post textarea line breaks as CRLF: counted as the statement will be stored.
      (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value),
      z
        .string()
        .trim()
        .max(10_000)
        .refine((t) => !LIQUID.test(t), {
          message: nl
            ? 'Geen plaatshouders ({{ }} of {% %}): persoonlijke gegevens horen in het bericht.'
            : 'No placeholders ({{ }} or {% %}): personal details belong in the notice.',
        })
        // eslint-disable-next-line no-control-regex
        .refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), {
          message: nl ? 'Bevat een stuurteken.' : 'Contains a control character.',
        }),
    )
    .optional();
}

/** The new-case form: every field as text; the times are read by the handler (time zone). */
function newCaseForm(locale: Locale) {
  return z.object({
    kind: caseKindSchema.optional(),
    title: z.string().trim().min(3).max(200),
    summary: z.string().trim().max(5000).optional(),
    detectedAt: z.string().optional(),
    awareAt: z.string().optional(),
    'whatHappened.nl': statementField(locale),
    'whatHappened.en': statementField(locale),
    ...csrfFormField,
  });
}

export type NewCaseForm = z.output<ReturnType<typeof newCaseForm>>;

/**
 * Parses the new-case form; on bad input the messages in the user's language, at the field
 * names the form shows them under (a "what happened" text under its statement's name).
 */
export function parseNewCaseForm(
  body: unknown,
  locale: Locale,
): { ok: true; data: NewCaseForm } | { ok: false; errors: FormErrors } {
  const parsed = parseForm(newCaseForm(locale), body, locale);
  if (parsed.ok) return parsed;
  const errors: FormErrors = {};
  for (const [field, message] of Object.entries(parsed.errors)) {
    const what = /^whatHappened\.(nl|en)$/.exec(field);
    errors[what ? `statements.what_happened.${what[1]!}` : field] = message;
  }
  return { ok: false, errors };
}
