import { z } from 'zod';
import { LANGUAGES, type Language } from './language.js';

/** The registry's own fields; every other column of an import becomes a free attribute. */
export const CUSTOMER_FIELDS = [
  'external_id',
  'email',
  'name',
  'language',
  'street',
  'postal_code',
  'city',
  'country',
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** Maximum length per field, in characters; longer values are rejected, never truncated. */
export const FIELD_LIMITS: Record<CustomerField, number> = {
  external_id: 128,
  email: 254,
  name: 200,
  language: 16,
  street: 200,
  postal_code: 16,
  city: 100,
  country: 56,
};
export const ATTRIBUTE_NAME_LIMIT = 64;
export const ATTRIBUTE_VALUE_LIMIT = 2000;
export const ATTRIBUTE_COUNT_LIMIT = 100;

/**
 * Bit per optional field: set when the file supplies it. An upsert overwrites only supplied
 * fields, so a file with just `external_id,plan` updates plans without blanking names.
 */
export const PROVIDED = {
  email: 1,
  name: 2,
  language: 4,
  street: 8,
  postal_code: 16,
  city: 32,
  country: 64,
  attributes: 128,
} as const;

/** One validated row, ready to upsert. */
export interface CustomerUpsert {
  line: number;
  externalId: string;
  email: string | null;
  name: string | null;
  /** Null when not supplied: new customers get the default language, existing keep theirs. */
  language: Language | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  /** JSON object; a null value removes that attribute from an existing customer. */
  attributes: string;
  provided: number;
}

/** A field-level problem in one row. */
export interface RowProblem {
  field: string;
  reason: string;
}

/** Normalises a header cell to a field or attribute name: `E-mail Address` → `e_mail_address`. */
export function normaliseColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

// HTML's email rule (what browsers accept in type=email), widened to non-ASCII letters so that
// internationalised addresses are not rejected.
const EMAIL =
  /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)+$/u;

/** Whether a string is an email address we can send to. */
export function isValidEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && at <= 64 && EMAIL.test(value);
}

/** Maps `nl`, `NL`, `nl-BE`, `en_GB` to a supported language, or null. */
export function parseLanguage(value: string): Language | null {
  const base = value.trim().toLowerCase().slice(0, 2);
  const rest = value.trim().slice(2);
  if (rest !== '' && !/^[-_][A-Za-z]{2,3}$/.test(rest)) return null;
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : null;
}

/** The public shape of a customer, over the API and in the UI. */
export const customerViewSchema = z.object({
  id: z.number().int(),
  externalId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  language: z.enum(LANGUAGES),
  street: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerView = z.infer<typeof customerViewSchema>;
