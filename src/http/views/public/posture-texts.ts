import type { PostureLanguage } from '../../../domain/posture/posture.js';

/** The posture page's own words, in Dutch and English. */
const TEXTS = {
  nl: {
    title: 'Onze beveiliging, getoetst',
    short: 'Beveiligingsverklaring',
    validUntil: 'Geldig tot',
    version: (n: number) => `Versie ${n}`,
    publishedOn: 'Gepubliceerd op',
    lapsed: (date: string) =>
      `Deze verklaring is verlopen op ${date}. Wij hebben haar niet op tijd opnieuw laten toetsen; wat hieronder staat, kan verouderd zijn.`,
    superseded: (n: number) => `Dit is een eerdere versie. De geldende verklaring is versie ${n}.`,
    current: 'Bekijk de geldende verklaring',
    measures: 'Maatregelen',
    measuresIntro:
      'Per onderdeel van artikel 21, lid 2, van de NIS2-richtlijn (en onze eigen aanvullingen): wat er is geregeld, wanneer en door wie dat is gecontroleerd, en tot wanneer die controle geldt.',
    own: 'Eigen aanvulling',
    status: {
      'in-place': 'Geregeld',
      partly: 'Deels geregeld',
      planned: 'Gepland',
      'not-applicable': 'Niet van toepassing',
    },
    expired: 'Verlopen',
    expiredNote: (date: string) => `De controle gold tot ${date} en is niet vernieuwd.`,
    why: 'Waarom',
    lastChecked: 'Laatst gecontroleerd',
    checkedBy: 'Gecontroleerd door',
    internal: 'eigen medewerkers (intern)',
    external: (auditor: string) => `${auditor} (extern)`,
    evidence: 'Bewijs',
    evidenceKinds: {
      certificate: 'certificaat',
      'test-report': 'testrapport',
      'audit-report': 'auditrapport',
      policy: 'beleidsdocument',
      none: 'geen',
    },
    never: 'nog niet',
    noDate: 'geen datum',
    commitments: 'Onze beloften over communicatie',
    commitmentsIntro:
      'Wat wij beloven over hoe snel wij u informeren, en hoe vaak dat lukte. De cijfers komen uit onze eigen dossiers, niet uit een tekstvak.',
    year: 'Jaar',
    kept: 'Nagekomen',
    missed: 'Niet nagekomen',
    pending: 'Loopt nog',
    noCases: 'Nog geen zaken om aan te meten.',
    missedCases: 'Niet nagekomen bij',
    unpublished: 'een zaak die niet op deze pagina staat',
    notYet: 'nog niet gedaan',
    hours: (h: number) => `${h.toLocaleString('nl-NL')} uur`,
    history: 'Alle versies',
    machine: 'Voor computers',
    json: 'JSON',
    schema: 'JSON Schema',
    signature: 'OpenPGP-handtekening',
  },
  en: {
    title: 'Our security, checked',
    short: 'Security statement',
    validUntil: 'Valid until',
    version: (n: number) => `Version ${n}`,
    publishedOn: 'Published on',
    lapsed: (date: string) =>
      `This statement lapsed on ${date}. We did not have it checked again in time; what follows may be out of date.`,
    superseded: (n: number) =>
      `This is an earlier version. The statement in force is version ${n}.`,
    current: 'See the statement in force',
    measures: 'Measures',
    measuresIntro:
      'Per point of Article 21(2) of the NIS2 Directive (and our own additions): what is in place, when and by whom it was checked, and until when that check holds.',
    own: 'Our own addition',
    status: {
      'in-place': 'In place',
      partly: 'Partly in place',
      planned: 'Planned',
      'not-applicable': 'Not applicable',
    },
    expired: 'Expired',
    expiredNote: (date: string) => `The check held until ${date} and has not been renewed.`,
    why: 'Why',
    lastChecked: 'Last checked',
    checkedBy: 'Checked by',
    internal: 'our own staff (internal)',
    external: (auditor: string) => `${auditor} (external)`,
    evidence: 'Evidence',
    evidenceKinds: {
      certificate: 'certificate',
      'test-report': 'test report',
      'audit-report': 'audit report',
      policy: 'policy',
      none: 'none',
    },
    never: 'not yet',
    noDate: 'no date',
    commitments: 'Our promises about communication',
    commitmentsIntro:
      'What we promise about how quickly we tell you, and how often we did. The figures come from our own case records, not from a text box.',
    year: 'Year',
    kept: 'Kept',
    missed: 'Missed',
    pending: 'Still running',
    noCases: 'No cases to measure against yet.',
    missedCases: 'Missed for',
    unpublished: 'a case not on this page',
    notYet: 'not done yet',
    hours: (h: number) => `${h.toLocaleString('en-GB')} hours`,
    history: 'All versions',
    machine: 'For computers',
    json: 'JSON',
    schema: 'JSON Schema',
    signature: 'OpenPGP signature',
  },
} as const;

export type PostureTexts = (typeof TEXTS)['en'] | (typeof TEXTS)['nl'];

/** The texts of one language. */
export function postureTexts(language: PostureLanguage): PostureTexts {
  return TEXTS[language];
}
