import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * The result of an upload, carried across POST → 303 → GET in a signed one-shot cookie, so the
 * result page has a clean URL and a reload shows the page instead of uploading again. Only
 * what the page shows travels: the counts and the first report lines, cut to fit a cookie.
 */
const COOKIE = 'candor_upload';
const MAX_JSON = 3000;

const entrySchema = z.object({ line: z.number(), field: z.string(), reason: z.string() });
const duplicateSchema = z.object({
  line: z.number(),
  previousLine: z.number(),
  externalId: z.string(),
});

export const uploadResultSchema = z.object({
  scope: z.string(),
  total: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  rejects: z.array(entrySchema),
  duplicateLines: z.array(duplicateSchema),
  omitted: z.number(),
  caseId: z.number(),
  added: z.number(),
  updated: z.number(),
  listSize: z.number(),
  durationMs: z.number(),
});
export type UploadResult = z.infer<typeof uploadResultSchema>;

/** Keeps the result for the next page under `scope` (e.g. the case reference). */
export function keepUploadResult(reply: FastifyReply, result: UploadResult, path: string): void {
  const kept = {
    ...result,
    rejects: [...result.rejects],
    duplicateLines: [...result.duplicateLines],
  };
  // Drop report lines from the end until it fits; the page says how many were left out.
  while (
    JSON.stringify(kept).length > MAX_JSON &&
    (kept.rejects.length || kept.duplicateLines.length)
  ) {
    if (kept.rejects.length >= kept.duplicateLines.length) kept.rejects.pop();
    else kept.duplicateLines.pop();
    kept.omitted++;
  }
  const value = Buffer.from(JSON.stringify(kept), 'utf8').toString('base64url');
  reply.setCookie(COOKIE, value, { path, httpOnly: true, sameSite: 'lax', signed: true });
}

/** The kept result for `scope`, once: the cookie is cleared as it is read. */
export function takeUploadResult(
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  path: string,
): UploadResult | null {
  const cookie = request.cookies?.[COOKIE];
  if (!cookie) return null;
  reply.clearCookie(COOKIE, { path });
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const parsed = uploadResultSchema.safeParse(
      JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')),
    );
    return parsed.success && parsed.data.scope === scope ? parsed.data : null;
  } catch {
    return null;
  }
}
