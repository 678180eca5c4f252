import type { PublicLanguage, UpdateStatus } from '../../../domain/publication.js';

/** The security page's own words, in Dutch and English. */
const TEXTS = {
  nl: {
    pageTitle: 'Beveiliging',
    intro: (org: string) =>
      `Hier vindt u alle beveiligingsincidenten en beveiligingsadviezen van ${org}, de nieuwste eerst. Zo kunt u zelf nagaan hoe snel en hoe eerlijk wij u informeren.`,
    all: 'Alles',
    incidents: 'Incidenten',
    advisories: 'Adviezen',
    allYears: 'Alle jaren',
    filterKind: 'Soort',
    filterYear: 'Jaar',
    none: 'Er zijn (nog) geen meldingen gepubliceerd.',
    incident: 'Incident',
    advisory: 'Beveiligingsadvies',
    published: 'Gepubliceerd',
    updated: 'Bijgewerkt',
    reference: 'Kenmerk',
    state: 'Stand',
    timeline: 'Verloop',
    press: 'Persbericht',
    pressText: 'Platte tekst',
    pressPdf: 'PDF',
    transparency: 'Hoe snel lichtten wij in?',
    transparencyIntro:
      'De tijd vanaf het moment dat wij het incident kenden tot het eerste bericht aan klanten en tot deze publieke melding.',
    toCustomers: 'Tot het eerste bericht aan klanten',
    toPublic: 'Tot de publieke melding',
    perYear: 'Per jaar (mediaan)',
    year: 'Jaar',
    cases: 'Meldingen',
    unknown: 'onbekend',
    notApplicable: 'niet van toepassing',
    hours: (h: number) => `${formatHours(h, 'nl')} uur`,
    revisions: 'Versies van deze pagina',
    auditAnchor: 'Controlepunt van ons auditlogboek',
    auditAnchorIntro:
      'Elke handeling in ons meldingssysteem wordt vastgelegd in een auditlogboek waarin elke regel de hash van de vorige bevat. Bewaart u een kopie van dit controlepunt, dan kan later worden nagegaan dat het logboek tot en met deze regel niet is herschreven.',
    auditAnchorEntry: 'Regel',
    auditAnchorDate: 'Vastgelegd op',
    embargo:
      'Technische details houden wij nog even achter, zodat aanvallers er geen misbruik van kunnen maken. Wij publiceren ze hier zodra het kan.',
    feeds: 'Volg deze pagina',
    atom: 'Atom-feed',
    json: 'JSON Feed',
    email: 'per e-mail',
    csaf: 'Machineleesbaar (CSAF 2.0)',
    verify: 'Bericht van ons gekregen? Controleer of het echt is',
    back: 'Alle meldingen',
    revision: {
      published: 'gepubliceerd',
      'public notice updated': 'melding bijgewerkt',
      'press statement published': 'persbericht gepubliceerd',
      'press statement updated': 'persbericht bijgewerkt',
      'published again': 'opnieuw gepubliceerd',
      update: 'update',
      released: 'technische details gepubliceerd',
      withdrawn: 'teruggetrokken',
    } as Record<string, string>,
    language: 'English',
    status: {
      investigating: 'Onderzoek',
      identified: 'Oorzaak gevonden',
      contained: 'Ingedamd',
      resolved: 'Opgelost',
      update: 'Update',
    } satisfies Record<UpdateStatus, string>,
    states: {
      draft: 'lopend',
      open: 'lopend',
      notifying: 'lopend',
      monitoring: 'onder controle',
      resolved: 'opgelost',
      closed: 'afgesloten',
    } as Record<string, string>,
  },
  en: {
    pageTitle: 'Security',
    intro: (org: string) =>
      `Every security incident and security advisory of ${org}, newest first. See for yourself how quickly and how honestly we tell you.`,
    all: 'All',
    incidents: 'Incidents',
    advisories: 'Advisories',
    allYears: 'All years',
    filterKind: 'Kind',
    filterYear: 'Year',
    none: 'Nothing has been published (yet).',
    incident: 'Incident',
    advisory: 'Security advisory',
    published: 'Published',
    updated: 'Updated',
    reference: 'Reference',
    state: 'Status',
    timeline: 'Timeline',
    press: 'Press statement',
    pressText: 'Plain text',
    pressPdf: 'PDF',
    transparency: 'How quickly did we tell?',
    transparencyIntro:
      'The time from when we knew about the incident to the first message to customers and to this public notice.',
    toCustomers: 'To the first message to customers',
    toPublic: 'To the public notice',
    perYear: 'Per year (median)',
    year: 'Year',
    cases: 'Notices',
    unknown: 'unknown',
    notApplicable: 'not applicable',
    hours: (h: number) => `${formatHours(h, 'en')} hours`,
    revisions: 'Versions of this page',
    auditAnchor: 'Checkpoint of our audit log',
    auditAnchorIntro:
      'Every action in our notification system is recorded in an audit log in which each entry carries the hash of the one before. Keep a copy of this checkpoint, and it can be checked later that the log up to this entry was not rewritten.',
    auditAnchorEntry: 'Entry',
    auditAnchorDate: 'Recorded on',
    embargo:
      'We are holding back technical details for now, so that attackers cannot misuse them. We will publish them here as soon as it is safe.',
    feeds: 'Follow this page',
    atom: 'Atom feed',
    json: 'JSON Feed',
    email: 'by email',
    csaf: 'Machine-readable (CSAF 2.0)',
    verify: 'Got a message from us? Check that it is genuine',
    back: 'All notices',
    revision: {
      published: 'published',
      'public notice updated': 'notice updated',
      'press statement published': 'press statement published',
      'press statement updated': 'press statement updated',
      'published again': 'published again',
      update: 'update',
      released: 'technical details published',
      withdrawn: 'withdrawn',
    } as Record<string, string>,
    language: 'Nederlands',
    status: {
      investigating: 'Investigating',
      identified: 'Identified',
      contained: 'Contained',
      resolved: 'Resolved',
      update: 'Update',
    } satisfies Record<UpdateStatus, string>,
    states: {
      draft: 'ongoing',
      open: 'ongoing',
      notifying: 'ongoing',
      monitoring: 'under control',
      resolved: 'resolved',
      closed: 'closed',
    } as Record<string, string>,
  },
};

export type SecurityTexts = (typeof TEXTS)['nl'];

/** The texts of one language. */
export function securityTexts(language: PublicLanguage): SecurityTexts {
  return TEXTS[language];
}

function formatHours(h: number, language: PublicLanguage): string {
  return new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB', {
    maximumFractionDigits: 1,
  }).format(h);
}

/** A date in the page's language and the Europe/Amsterdam zone, with the zone shown. */
export function formatPublicDate(iso: string, language: PublicLanguage, withTime = true): string {
  const format = withTime
    ? language === 'nl'
      ? NL_TIME
      : EN_TIME
    : language === 'nl'
      ? NL_DATE
      : EN_DATE;
  return format.format(new Date(iso));
}

const dateParts = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Amsterdam',
} as const;
const timeParts = {
  ...dateParts,
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
} as const;
const NL_DATE = new Intl.DateTimeFormat('nl-NL', dateParts);
const EN_DATE = new Intl.DateTimeFormat('en-GB', dateParts);
const NL_TIME = new Intl.DateTimeFormat('nl-NL', timeParts);
const EN_TIME = new Intl.DateTimeFormat('en-GB', timeParts);

/**
 * A revision summary (stored in English by the services) in the page's language: "update:
 * contained" → "update: Ingedamd"; internal detail (embargo conditions, withdrawal reasons)
 * stays off the public page.
 */
export function revisionLabel(summary: string, t: SecurityTexts): string {
  return summary
    .split('; ')
    .map((part) => {
      const update = /^update: (\w+)$/.exec(part);
      if (update)
        return `${t.revision.update}: ${t.status[update[1] as UpdateStatus] ?? update[1]}`;
      if (part.startsWith('technical details published')) return t.revision.released!;
      if (part.startsWith('withdrawn')) return t.revision.withdrawn!;
      return t.revision[part] ?? part;
    })
    .join('; ');
}
