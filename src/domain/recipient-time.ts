import type { Language } from './language.js';
import { isTimeZone } from './time-zone.js';

/**
 * Times as a recipient reads them: in their own time zone, with the zone named, so that
 * "14:05" is never an Amsterdam time silently shown to a reader in London.
 */

/**
 * Countries (ISO 3166-1 alpha-2; UK as the common alias of GB) whose people all, or nearly
 * all, live in one zone. Spain and Portugal are their mainland zone: a customer on the Canary
 * Islands, the Azores or Madeira needs a `time_zone` attribute. Countries with several zones
 * (US, CA, AU, BR, RU…) are left out on purpose: guessing one would be wrong for many.
 */
const COUNTRY_ZONES: Readonly<Record<string, string>> = {
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CH: 'Europe/Zurich',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  UK: 'Europe/London',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IS: 'Atlantic/Reykjavik',
  IT: 'Europe/Rome',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  IN: 'Asia/Kolkata',
  JP: 'Asia/Tokyo',
  SG: 'Asia/Singapore',
  ZA: 'Africa/Johannesburg',
};

/** Customer attributes that may name a zone, in order of preference. */
const ZONE_ATTRIBUTES = ['time_zone', 'timezone'] as const;

/** What decides a recipient's zone. */
export interface RecipientZoneFacts {
  /** Free attributes from the registry; `time_zone` or `timezone` holds an IANA zone name. */
  attributes: Record<string, unknown>;
  /** The country as in the registry, e.g. "GB". */
  country: string | null;
}

/**
 * The recipient's IANA time zone: their `time_zone`/`timezone` attribute when Intl knows it,
 * else their country's zone when it has only one, else `fallback` (the installation's zone,
 * CANDOR_TIME_ZONE).
 */
export function recipientTimeZone(facts: RecipientZoneFacts, fallback: string): string {
  for (const key of ZONE_ATTRIBUTES) {
    const value = facts.attributes[key];
    if (typeof value === 'string' && value.trim() !== '' && isTimeZone(value.trim())) {
      return new Intl.DateTimeFormat('en', { timeZone: value.trim() }).resolvedOptions().timeZone;
    }
  }
  const country = facts.country?.trim().toUpperCase();
  return (country && COUNTRY_ZONES[country]) || fallback;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(language: Language, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${withTime}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone,
      ...(withTime ? { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * A moment in the reader's zone, the zone named: "7 december 2026 om 15:05 CET",
 * "7 December 2026 at 14:05 GMT".
 */
export function formatRecipientTime(iso: string, language: Language, timeZone: string): string {
  return formatFor(language, timeZone, true).format(new Date(iso));
}

/** The day of a moment in a zone: "7 december 2026", "7 December 2026". */
export function formatRecipientDate(iso: string, language: Language, timeZone: string): string {
  return formatFor(language, timeZone, false).format(new Date(iso));
}
