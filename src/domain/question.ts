import { z } from 'zod';

/**
 * Customer questions: what a valid question (or reply) is, the rate limits, and the inbox
 * figures. Plain rules, no I/O.
 */

export const QUESTION_STATES = ['open', 'answered', 'closed'] as const;
export const questionStateSchema = z.enum(QUESTION_STATES);
export type QuestionState = z.infer<typeof questionStateSchema>;

export const REPLY_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
export type ReplyState = (typeof REPLY_STATES)[number];

/** The longest question a customer may send, in characters (code points). */
export const QUESTION_MAX_CHARS = 2000;
/** The longest reply, in characters. */
export const REPLY_MAX_CHARS = 10_000;
/** The longest reason for closing without a reply. */
export const CLOSE_REASON_MAX_CHARS = 500;

/** Why a text was refused; the views turn each into a sentence naming the field. */
export type TextProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; length: number; max: number }
  | { kind: 'control'; position: number; code: string };

export type CheckedText = { ok: true; text: string } | { ok: false; problem: TextProblem };

/**
 * Control characters other than the newline (C0, DEL, C1), and the invisible direction
 * overrides that make text read differently from what it is (Trojan-source style).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Checks a plain text: line breaks normalised to \n, outer blank space trimmed, not empty,
 * at most `max` characters, no control characters except the newline. `position` is 1-based,
 * in characters, so the message can say where the offending character is.
 */
export function checkPlainText(input: string, max: number): CheckedText {
  const text = input.replace(/\r\n?/g, '\n').trim();
  if (text === '') return { ok: false, problem: { kind: 'empty' } };
  const chars = [...text];
  if (chars.length > max) {
    return { ok: false, problem: { kind: 'too-long', length: chars.length, max } };
  }
  const at = chars.findIndex((c) => FORBIDDEN.test(c));
  if (at !== -1) {
    const code = `U+${chars[at]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return { ok: false, problem: { kind: 'control', position: at + 1, code } };
  }
  return { ok: true, text };
}

/** The text without the characters checkPlainText refuses (to hand it back for a retry). */
export function withoutForbidden(input: string): string {
  return [...input].filter((c) => c === '\n' || c === '\r' || !FORBIDDEN.test(c)).join('');
}

/** How many questions a recipient, and one client address, may send in a window. */
export interface QuestionLimits {
  perRecipient: number;
  perAddress: number;
  windowMs: number;
}

/**
 * Five a day per recipient is more than anyone with a real question needs; an address gets
 * more because several customers may share one (an office, a carrier's NAT).
 */
export const DEFAULT_QUESTION_LIMITS: QuestionLimits = {
  perRecipient: 5,
  perAddress: 20,
  windowMs: 24 * 60 * 60_000,
};

/** What the store counted in the window: how many, and the oldest of them. */
export interface WindowCount {
  count: number;
  oldest: string | null;
}

/**
 * When the sender may ask again, or null when they may now. A limit is reached when the
 * window holds `limit` questions; a slot frees up when the oldest of them leaves the window.
 */
export function retryAt(counted: WindowCount, limit: number, windowMs: number): string | null {
  if (counted.count < limit || !counted.oldest) return null;
  return new Date(Date.parse(counted.oldest) + windowMs).toISOString();
}

/** The inbox figures of a case. */
export interface InboxCounts {
  open: number;
  answered: number;
  closed: number;
  /** Median of (first answer − asked), in ms, over answered questions; null without any. */
  medianAnswerMs: number | null;
}

/** The median of durations (ms); null for none. An even count takes the mean of the middle two. */
export function medianMs(durations: readonly number[]): number | null {
  if (durations.length === 0) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
