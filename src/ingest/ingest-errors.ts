/**
 * Thrown when an input cannot be read as CSV or JSONL at all (binary data, an empty file,
 * a CSV without a readable header). Row-level problems never throw: they become error
 * records so the rest of the file still goes through.
 */
export class UnreadableFileError extends Error {
  override readonly name = 'UnreadableFileError';
}
