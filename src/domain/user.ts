import { z } from 'zod';
import { LANGUAGES } from './language.js';
import { roleSchema, tokenScopeSchema } from './access.js';

/** A username: what people type at the login prompt and what the audit log shows. */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,63}$/,
    'must be 2–64 characters: letters, digits, dot, dash or underscore, starting with a letter or digit',
  );

/** Passwords chosen by people: long beats complex (NIST SP 800-63B). */
export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(1024, 'must be at most 1024 characters');

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(200).optional(),
  roles: z.array(roleSchema).min(1, 'at least one role is required'),
  password: passwordSchema.optional(),
  language: z.enum(LANGUAGES).optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

/** A user as shown to other users and over the API (never the hash). */
export const userViewSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  language: z.enum(LANGUAGES),
  createdAt: z.string(),
  disabled: z.boolean(),
});
export type UserView = z.infer<typeof userViewSchema>;

/** The longest a token may live: ten years. */
export const MAX_TOKEN_DAYS = 3650;

export const newTokenSchema = z.object({
  label: z.string().trim().min(1).max(100).default('api'),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).optional(),
  /** Limit the token to one use (`portal`: a customer's open notices, read-only). */
  scope: tokenScopeSchema.optional(),
});
export type NewToken = z.input<typeof newTokenSchema>;

/**
 * A token lifetime as people write it: `90d` (or `90`), in whole days; throws a message that
 * names `--expires` otherwise.
 */
export function parseTokenLifetime(text: string): number {
  const match = /^(\d{1,5})d?$/.exec(text.trim());
  const days = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw new Error(
      `--expires must be a number of days from 1 to ${MAX_TOKEN_DAYS}, like 90d (got "${text}")`,
    );
  }
  return days;
}

/** A token as listed to its owner and to admins (never the token or its hash). */
export const tokenViewSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  label: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revoked: z.boolean(),
  revokedAt: z.string().nullable(),
  /** Null: all its user's roles allow; else what it is limited to. */
  scope: tokenScopeSchema.nullable(),
});
export type TokenView = z.infer<typeof tokenViewSchema>;
