import { z } from 'zod';

/*
 * Input schemas shared by the workspace's pages. They describe what arrives rather than narrow
 * it: an unknown case or a malformed id in a URL is the handler's own 404 page (a person
 * followed a stale link), not a validation message, so path parameters accept any text.
 */

/** A page under one case: /app/cases/:reference/… (an unknown case answers 404 in the handler). */
export const caseParams = z.object({ reference: z.string() });

/** One item of a case (/app/cases/:reference/notices/:id); the handler checks the id. */
export const caseItemParams = caseParams.extend({ id: z.string() });
export type CaseItemParams = z.infer<typeof caseItemParams>;

/**
 * An optional query parameter whose unknown values give the page's default (a list filter, a
 * language, an id to select). A repeated parameter arrives as an array, which never matched
 * any value, so it counts as absent: the page falls back to its default, as it always did.
 */
export const queryChoice = z.string().optional().catch(undefined);
