import type { AssessmentFacts, DataCategory } from '../assessment/assessment-facts.js';
import type { Localised } from './report-content.js';

/** Phrases the drafts are built from, per language; kept apart so drafting reads as logic. */

export const CATEGORY_LABELS: Readonly<Record<DataCategory, Localised>> = {
  simple: {
    nl: 'eenvoudige gegevens (zoals naam en contactgegevens)',
    en: 'simple data (such as name and contact details)',
  },
  behavioural: {
    nl: 'gedragsgegevens (zoals locatie, verkeersgegevens, gewoonten)',
    en: 'behavioural data (such as location, traffic data, habits)',
  },
  financial: { nl: 'financiële gegevens', en: 'financial data' },
  sensitive: {
    nl: 'bijzondere of strafrechtelijke persoonsgegevens (art. 9/10 AVG)',
    en: 'special categories or criminal-offence data (GDPR Art. 9/10)',
  },
  credentials: {
    nl: 'inloggegevens (gebruikersnamen met wachtwoorden of andere geheimen)',
    en: 'credentials (user names with passwords or other secrets)',
  },
  'identity-documents': {
    nl: 'identiteitsbewijzen of identificatienummers (zoals het BSN)',
    en: 'identity documents or national identification numbers',
  },
  'vulnerable-persons': {
    nl: 'gegevens van kinderen of andere kwetsbare personen',
    en: 'data of children or other vulnerable persons',
  },
};

export const CATEGORY_CONSEQUENCES: Readonly<Record<DataCategory, Localised>> = {
  simple: {
    nl: 'gerichte phishing, spam en misleiding uit naam van de organisatie',
    en: 'targeted phishing, spam and impersonation of the organisation',
  },
  behavioural: {
    nl: 'profilering, en risico voor de persoonlijke veiligheid (bijvoorbeeld stalking)',
    en: 'profiling, and risks to personal safety (e.g. stalking)',
  },
  financial: {
    nl: 'fraude en financiële schade',
    en: 'fraud and financial loss',
  },
  sensitive: {
    nl: 'discriminatie, stigmatisering en reputatieschade',
    en: 'discrimination, stigmatisation and damage to reputation',
  },
  credentials: {
    nl: 'overname van accounts, ook bij andere diensten waar hetzelfde wachtwoord wordt gebruikt',
    en: 'account takeover, also at other services where the same password is used',
  },
  'identity-documents': {
    nl: 'identiteitsfraude',
    en: 'identity fraud',
  },
  'vulnerable-persons': {
    nl: 'ernstiger gevolgen voor kwetsbare personen, die zich minder goed kunnen beschermen',
    en: 'graver harm to vulnerable persons, who are less able to protect themselves',
  },
};

export const CONFIDENTIALITY: Readonly<Record<AssessmentFacts['confidentiality'], Localised>> = {
  none: { nl: 'geen verlies van vertrouwelijkheid', en: 'no loss of confidentiality' },
  exposed: {
    nl: 'gegevens waren blootgesteld, zonder aanwijzing voor onrechtmatige verwerking',
    en: 'data were exposed, without evidence of unlawful processing',
  },
  'known-recipients': {
    nl: 'gegevens zijn bekendgemaakt aan een bekend aantal ontvangers',
    en: 'data were disclosed to a known number of recipients',
  },
  'unknown-recipients': {
    nl: 'gegevens zijn bekendgemaakt aan een onbekend aantal ontvangers',
    en: 'data were disclosed to an unknown number of recipients',
  },
};

export const INTEGRITY: Readonly<Record<AssessmentFacts['integrity'], Localised>> = {
  none: { nl: 'geen verlies van integriteit', en: 'no loss of integrity' },
  recoverable: {
    nl: 'gegevens zijn gewijzigd maar herstelbaar',
    en: 'data were altered but can be recovered',
  },
  unrecoverable: {
    nl: 'gegevens zijn gewijzigd en niet herstelbaar',
    en: 'data were altered and cannot be recovered',
  },
  'unrecoverable-used': {
    nl: 'gegevens zijn gewijzigd, onrechtmatig gebruikt en niet herstelbaar',
    en: 'data were altered, used unlawfully and cannot be recovered',
  },
};

export const AVAILABILITY: Readonly<Record<AssessmentFacts['availability'], Localised>> = {
  none: { nl: 'geen verlies van beschikbaarheid', en: 'no loss of availability' },
  recoverable: {
    nl: 'gegevens waren kort onbeschikbaar en zonder moeite herstelbaar',
    en: 'data were briefly unavailable and recoverable without difficulty',
  },
  temporary: {
    nl: 'gegevens waren tijdelijk niet beschikbaar',
    en: 'data were temporarily unavailable',
  },
  permanent: {
    nl: 'gegevens zijn blijvend verloren',
    en: 'data are permanently lost',
  },
};

export const EXFILTRATION: Readonly<Record<AssessmentFacts['exfiltration'], Localised>> = {
  none: {
    nl: 'Er zijn geen aanwijzingen dat gegevens zijn gekopieerd.',
    en: 'There is no indication that data were copied.',
  },
  suspected: {
    nl: 'Het vermoeden bestaat dat gegevens zijn gekopieerd (exfiltratie).',
    en: 'Data are suspected to have been copied (exfiltration).',
  },
  confirmed: {
    nl: 'Vastgesteld is dat gegevens zijn gekopieerd (exfiltratie).',
    en: 'It has been established that data were copied (exfiltration).',
  },
};

export const ENCRYPTION: Readonly<Record<AssessmentFacts['encryption'], Localised>> = {
  none: { nl: 'De gegevens waren niet versleuteld.', en: 'The data were not encrypted.' },
  'state-of-the-art-key-safe': {
    nl: 'De gegevens waren versleuteld volgens de stand van de techniek; de sleutel is niet gecompromitteerd.',
    en: 'The data were encrypted to the state of the art; the key was not compromised.',
  },
  'key-compromised': {
    nl: 'De gegevens waren versleuteld, maar de sleutel is gecompromitteerd.',
    en: 'The data were encrypted, but the key was compromised.',
  },
};

export const PASSWORDS: Readonly<Record<AssessmentFacts['passwordStorage'], Localised | null>> = {
  none: null,
  plain: {
    nl: 'Wachtwoorden waren onversleuteld (leesbaar) opgeslagen.',
    en: 'Passwords were stored in plain text.',
  },
  'weak-hash': {
    nl: 'Wachtwoorden waren opgeslagen met een zwakke of ongezouten hashfunctie.',
    en: 'Passwords were stored with a weak or unsalted hash.',
  },
  'strong-salted-hash': {
    nl: 'Wachtwoorden waren opgeslagen met een sterke, gezouten hashfunctie (zoals bcrypt of Argon2).',
    en: 'Passwords were stored with a strong salted hash (such as bcrypt or Argon2).',
  },
};

export const SEVERITY_NAMES: Readonly<Record<string, Localised>> = {
  low: { nl: 'laag', en: 'low' },
  medium: { nl: 'gemiddeld', en: 'medium' },
  high: { nl: 'hoog', en: 'high' },
  'very-high': { nl: 'zeer hoog', en: 'very high' },
};

export const EVENT_NAMES: Readonly<Record<string, Localised>> = {
  detected: { nl: 'Ontdekt', en: 'Detected' },
  aware: { nl: 'Vastgesteld (bewust)', en: 'Became aware' },
  contained: { nl: 'Ingedamd', en: 'Contained' },
  resolved: { nl: 'Opgelost', en: 'Resolved' },
  note: { nl: 'Notitie', en: 'Note' },
};

export const UNKNOWN: Localised = { nl: 'nog onbekend', en: 'not yet known' };
