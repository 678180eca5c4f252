import { LANGUAGES, type Language } from '../language.js';
import { lineDiff, type DiffLine } from '../line-diff.js';
import {
  expandStatementBlocks,
  snapshotSharedVariables,
  type NoticeSnapshot,
} from './notice-snapshot.js';

/**
 * What an approver reads to see what changed: one language of a snapshot as plain lines — the
 * subject, the body with its block statements in place, then the other case values it uses
 * (dates, facts, inline statements) one per line. Two of these, diffed line by line, show every
 * change an approval would cover.
 */
export function snapshotReviewText(snapshot: NoticeSnapshot, language: Language): string {
  const text = snapshot.texts[language];
  if (!text) return '';
  const shared = snapshotSharedVariables(snapshot, language);
  let body: string;
  try {
    body = expandStatementBlocks(text.body, shared.statements);
  } catch {
    // A statement with template syntax is refused elsewhere; here it is shown as it is.
    body = text.body;
  }
  const values = Object.entries(snapshot.values[language] ?? {})
    .filter(([path]) => !(path.startsWith('statements.') && blockStatementUsed(text.body, path)))
    .map(([path, value]) => `${path}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .sort();
  return [
    `Subject: ${text.subject}`,
    '',
    body,
    ...(values.length ? ['', '---', ...values] : []),
  ].join('\n');
}

function blockStatementUsed(body: string, path: string): boolean {
  const key = path.slice('statements.'.length);
  return new RegExp(`^[ \\t]*\\{\\{-?\\s*statements\\.${key}\\s*-?\\}\\}[ \\t]*$`, 'm').test(body);
}

/** The changes of one language since the last approval. */
export interface LanguageChanges {
  language: Language;
  diff: DiffLine[];
  changed: boolean;
}

/** Per language: the diff from the approved snapshot to the current one. */
export function snapshotChanges(
  approved: NoticeSnapshot,
  current: NoticeSnapshot,
): LanguageChanges[] {
  const out: LanguageChanges[] = [];
  for (const language of LANGUAGES) {
    if (!approved.texts[language] && !current.texts[language]) continue;
    const diff = lineDiff(
      snapshotReviewText(approved, language),
      snapshotReviewText(current, language),
    );
    out.push({ language, diff, changed: diff.some((l) => l.kind !== 'same') });
  }
  return out;
}
