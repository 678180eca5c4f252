import type { WorkspaceLocale } from './workspace-texts.js';

/** What formatting needs from a session: its language and time zone. */
export interface FormatContext {
  locale: WorkspaceLocale;
  timeZone: string;
}

const TAGS: Record<WorkspaceLocale, string> = { nl: 'nl-NL', en: 'en-GB' };
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let format = cache.get(key) as T | undefined;
  if (!format) {
    format = make();
    if (cache.size > 500) cache.clear();
    cache.set(key, format);
  }
  return format;
}

function dateTimeFormat(ctx: FormatContext, withTime: boolean): Intl.DateTimeFormat {
  return cached(`dt|${ctx.locale}|${ctx.timeZone}|${withTime}`, () =>
    withTime
      ? new Intl.DateTimeFormat(TAGS[ctx.locale], {
          timeZone: ctx.timeZone,
          dateStyle: 'medium',
          timeStyle: 'short',
        })
      : new Intl.DateTimeFormat(TAGS[ctx.locale], { timeZone: ctx.timeZone, dateStyle: 'medium' }),
  );
}

function zoneName(ctx: FormatContext, date: Date): string {
  const format = cached<Intl.DateTimeFormat>(
    `tz|${ctx.locale}|${ctx.timeZone}`,
    () =>
      new Intl.DateTimeFormat(TAGS[ctx.locale], { timeZone: ctx.timeZone, timeZoneName: 'short' }),
  );
  return format.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? ctx.timeZone;
}

/** Date and time in the user's zone, with the zone shown ("27 nov 2026 14:05 CET"). */
export function formatDateTime(ctx: FormatContext, iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${dateTimeFormat(ctx, true).format(date)} ${zoneName(ctx, date)}`;
}

/** The calendar date in the user's zone. */
export function formatDate(ctx: FormatContext, iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(ctx, false).format(date);
}

/** A number with the locale's grouping. */
export function formatNumber(ctx: FormatContext, n: number): string {
  return cached(`n|${ctx.locale}`, () => new Intl.NumberFormat(TAGS[ctx.locale])).format(n);
}

/** A ratio (0..1) as a percentage with at most one decimal; "—" when undefined. */
export function formatPercent(ctx: FormatContext, ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return cached(
    `p|${ctx.locale}`,
    () => new Intl.NumberFormat(TAGS[ctx.locale], { style: 'percent', maximumFractionDigits: 1 }),
  ).format(ratio);
}

const UNITS: Record<WorkspaceLocale, { d: string; h: string; m: string; s: string }> = {
  nl: { d: 'd', h: 'u', m: 'min', s: 's' },
  en: { d: 'd', h: 'h', m: 'min', s: 's' },
};

/**
 * A duration in the two largest units ("2 d 5 h", "3 u 12 min", "45 s"); negative durations
 * get a minus sign. Short and unambiguous at a glance, which a relative "3 hours ago" is not.
 */
export function formatDuration(ctx: FormatContext, ms: number): string {
  const sign = ms < 0 ? '−' : '';
  let seconds = Math.floor(Math.abs(ms) / 1000);
  const u = UNITS[ctx.locale];
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ${u.d}`, `${hours} ${u.h}`);
  else if (hours > 0) parts.push(`${hours} ${u.h}`, `${minutes} ${u.m}`);
  else if (minutes > 0) parts.push(`${minutes} ${u.m}`);
  else parts.push(`${seconds} ${u.s}`);
  return sign + parts.join(' ');
}

/**
 * An elapsed time to the second under an hour ("3 min 12 s", "45 s"), else as formatDuration:
 * how long a dispatch took, where the seconds matter.
 */
export function formatElapsed(ctx: FormatContext, ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds >= 3600) return formatDuration(ctx, ms);
  const u = UNITS[ctx.locale];
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} ${u.m} ${seconds % 60} ${u.s}` : `${seconds} ${u.s}`;
}
