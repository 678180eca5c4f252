import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';

/** The file of a one-file upload form, none chosen, or a body that is not a sound form. */
export type UploadedFile =
  { kind: 'file'; file: MultipartFile } | { kind: 'none' } | { kind: 'malformed' };

/**
 * Reads the first part of a multipart upload. A body the multipart parser cannot read (no
 * boundary, a broken part head, cut off before the end) is `malformed`, for a 400 rather than
 * a 500; a browser that sent the form without a chosen file sends an empty file part (`none`).
 * Limit errors (413) are left to the error handler.
 */
export async function uploadedFile(request: FastifyRequest): Promise<UploadedFile> {
  if (!request.isMultipart()) return { kind: 'none' };
  let file: MultipartFile | undefined;
  try {
    file = await request.file();
  } catch (error) {
    if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    return { kind: 'malformed' };
  }
  // No part at all never comes from our forms. A stream already destroyed is the parser
  // giving up on the body (it ended before the closing boundary): nothing usable follows.
  if (!file || file.file.destroyed) return { kind: 'malformed' };
  if (!file.filename) {
    file.file.resume();
    return { kind: 'none' };
  }
  return { kind: 'file', file };
}

/**
 * Writes an uploaded file to `target` (0600). False, and no file left behind, when the
 * upload broke off or turned out malformed while it was being read.
 */
export async function storeUpload(file: MultipartFile, target: string): Promise<boolean> {
  try {
    await pipeline(file.file, fs.createWriteStream(target, { mode: 0o600 }));
    return true;
  } catch {
    fs.rmSync(target, { force: true });
    return false;
  }
}
