import type { Locale } from './enisa-severity.js';
import type { ClockKind, ClockState } from './legal-clocks.js';

/** What each clock is for, per language. */
export const CLOCK_LABELS: Record<ClockKind, Record<Locale, string>> = {
  'gdpr-art33': {
    en: 'GDPR notification to the supervisory authority',
    nl: 'AVG-melding aan de toezichthouder',
  },
  'nis2-early-warning': { en: 'NIS2 early warning', nl: 'NIS2 vroegtijdige waarschuwing' },
  'nis2-notification': { en: 'NIS2 incident notification', nl: 'NIS2 incidentmelding' },
  'nis2-final': { en: 'NIS2 final report', nl: 'NIS2 eindverslag' },
};

export const CLOCK_STATE_LABELS: Record<ClockState, Record<Locale, string>> = {
  running: { en: 'running', nl: 'loopt' },
  'due-soon': { en: 'due soon', nl: 'bijna verlopen' },
  overdue: { en: 'overdue', nl: 'verlopen' },
  done: { en: 'done', nl: 'gedaan' },
};

/** A remaining (or, negative, overdue) time in words: "2 d 4 h", "5 h 12 min", "3 min". */
export function formatRemaining(ms: number, locale: Locale): string {
  const total = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const d = locale === 'nl' ? 'd' : 'd';
  const h = locale === 'nl' ? 'u' : 'h';
  if (days >= 2) return `${days} ${d} ${hours} ${h}`;
  if (total >= 60) return `${days * 24 + hours} ${h} ${minutes} min`;
  return `${minutes} min`;
}
