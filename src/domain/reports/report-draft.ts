/**
 * Drafts the content of a regulator report from what the case already knows: its facts,
 * the assessment and decisions, the timeline, the organisation settings and whether the
 * affected people were told. Pure: the same input gives the same draft, in Dutch and
 * English; every field is editable afterwards.
 */
import type {
  Assessment,
  AssessmentFacts,
  EffectiveDecision,
} from '../assessment/assessment-facts.js';
import type { Organisation } from '../organisation.js';
import { endSentence } from '../sentence.js';
import {
  REPORT_FIELDS,
  type Localised,
  type ReportContent,
  type ReportFigures,
  type ReportKind,
} from './report-content.js';
import {
  AVAILABILITY,
  CATEGORY_CONSEQUENCES,
  CATEGORY_LABELS,
  CONFIDENTIALITY,
  ENCRYPTION,
  EVENT_NAMES,
  EXFILTRATION,
  INTEGRITY,
  PASSWORDS,
  SEVERITY_NAMES,
  UNKNOWN,
} from './report-phrases.js';

export interface DraftInput {
  case: {
    reference: string;
    title: string;
    summary: string;
    detectedAt: string | null;
    awareAt: string | null;
    containedAt: string | null;
    resolvedAt: string | null;
  };
  /** Timeline, oldest first. */
  events: readonly { kind: string; at: string; text: string }[];
  facts: AssessmentFacts | null;
  assessment: Assessment | null;
  /** The advice with its reasons in each language (the stored advice is English). */
  localAdvice?: { nl: Assessment; en: Assessment } | null;
  decision: EffectiveDecision | null;
  organisation: Organisation;
  /** The first personal notice to the affected people, if one went out. */
  subjectsNotice: { firstSentAt: string; recipients: number } | null;
  /** Earlier submissions of this case's reports, for references in later reports. */
  submissions: readonly {
    kind: ReportKind;
    version: number;
    submittedAt: string;
    reference: string | null;
  }[];
  /** For a supplement (Art. 33(4)): the version it follows. */
  supplementTo?: { version: number; reference: string | null } | undefined;
  timeZone: string;
}

type Lang = 'nl' | 'en';
const LANGS: readonly Lang[] = ['nl', 'en'];

/** Localised text built by one function per language. */
function both(build: (lang: Lang) => string): Localised {
  return { nl: build('nl'), en: build('en') };
}

/** "27 nov 2026 03:12 CET" / "27 Nov 2026, 03:12 CET" in the organisation's time zone. */
export function formatInstant(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

function formatCount(n: number | null, lang: Lang): string {
  if (n === null) return UNKNOWN[lang];
  const number = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB').format(n);
  return lang === 'nl' ? `ongeveer ${number}` : `approximately ${number}`;
}

function sentences(...parts: (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}

function contactPoint(input: DraftInput, lang: Lang): string {
  const o = input.organisation;
  const lines = [
    o.name,
    o.dpoEmail !== ''
      ? `${lang === 'nl' ? 'Functionaris gegevensbescherming' : 'Data protection officer'}: ${o.dpoEmail}`
      : null,
    `${lang === 'nl' ? 'Beveiligingsteam' : 'Security team'}: ${o.contactEmail}`,
    o.contactPhone !== '' ? `${lang === 'nl' ? 'Telefoon' : 'Phone'}: ${o.contactPhone}` : null,
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
}

function timeline(input: DraftInput, lang: Lang): string {
  const milestones: [string, string | null][] = [
    ['detected', input.case.detectedAt],
    ['aware', input.case.awareAt],
    ['contained', input.case.containedAt],
    ['resolved', input.case.resolvedAt],
  ];
  const lines = milestones.map(
    ([kind, at]) =>
      `${EVENT_NAMES[kind]![lang]}: ${at === null ? UNKNOWN[lang] : formatInstant(at, lang, input.timeZone)}`,
  );
  if (input.case.resolvedAt === null) {
    lines.push(
      lang === 'nl' ? 'De inbreuk is nog niet opgelost.' : 'The breach is not yet resolved.',
    );
  }
  return lines.join('\n');
}

function categories(facts: AssessmentFacts | null, lang: Lang): string {
  if (facts === null || facts.dataCategories.length === 0) return UNKNOWN[lang];
  return facts.dataCategories.map((c) => `- ${CATEGORY_LABELS[c][lang]}`).join('\n');
}

function nature(input: DraftInput, lang: Lang): string {
  const f = input.facts;
  const what = sentences(endSentence(input.case.title), input.case.summary);
  if (f === null) return what;
  const cia = [
    CONFIDENTIALITY[f.confidentiality],
    INTEGRITY[f.integrity],
    AVAILABILITY[f.availability],
  ]
    .map((x) => x[lang])
    .join('; ');
  const intent = f.maliciousIntent
    ? lang === 'nl'
      ? 'De inbreuk is opzettelijk en met kwade bedoelingen veroorzaakt.'
      : 'The breach was caused intentionally and with malicious intent.'
    : lang === 'nl'
      ? 'Er zijn geen aanwijzingen voor kwade opzet.'
      : 'There is no indication of malicious intent.';
  return sentences(
    what,
    `\n${lang === 'nl' ? 'Soort inbreuk' : 'Type of breach'}: ${cia}.`,
    `\n${intent}`,
    EXFILTRATION[f.exfiltration][lang],
  );
}

function dataSubjects(input: DraftInput, lang: Lang): string {
  const n = input.facts?.dataSubjects ?? null;
  const who =
    lang === 'nl'
      ? `Klanten en gebruikers van de diensten van ${input.organisation.name}`
      : `Customers and users of the services of ${input.organisation.name}`;
  const vulnerable = input.facts?.dataCategories.includes('vulnerable-persons')
    ? lang === 'nl'
      ? ', onder wie kinderen of andere kwetsbare personen'
      : ', among them children or other vulnerable persons'
    : '';
  return `${endSentence(`${who}${vulnerable}`)}\n${lang === 'nl' ? 'Aantal' : 'Number'}: ${formatCount(n, lang)}.`;
}

function priorMeasures(input: DraftInput, lang: Lang): string {
  const f = input.facts;
  if (f === null) return UNKNOWN[lang];
  const backup = f.backupAvailable
    ? lang === 'nl'
      ? `Er was een actuele back-up${f.restoreHours !== null ? `; herstel duurt ongeveer ${f.restoreHours} uur` : ''}.`
      : `An up-to-date backup was available${f.restoreHours !== null ? `; restoring takes about ${f.restoreHours} hours` : ''}.`
    : lang === 'nl'
      ? 'Er was geen actuele back-up van de getroffen gegevens.'
      : 'No up-to-date backup of the affected data was available.';
  return sentences(ENCRYPTION[f.encryption][lang], PASSWORDS[f.passwordStorage]?.[lang], backup);
}

function consequences(input: DraftInput, lang: Lang): string {
  const f = input.facts;
  const lines: string[] = [];
  if (f !== null) {
    for (const c of f.dataCategories) lines.push(`- ${CATEGORY_CONSEQUENCES[c][lang]}`);
    if (f.availability === 'temporary' || f.availability === 'permanent') {
      lines.push(
        lang === 'nl'
          ? '- betrokkenen kunnen (tijdelijk) niet bij hun gegevens of de dienst'
          : '- the persons cannot (temporarily) access their data or the service',
      );
    }
    if (f.integrity !== 'none') {
      lines.push(
        lang === 'nl'
          ? '- beslissingen op basis van onjuiste gegevens'
          : '- decisions taken on incorrect data',
      );
    }
    if (f.encryption === 'state-of-the-art-key-safe') {
      lines.push(
        lang === 'nl'
          ? 'De gegevens zijn voor onbevoegden onbegrijpelijk (versleuteld); het risico is daardoor beperkt.'
          : 'The data are unintelligible to unauthorised persons (encrypted), which limits the risk.',
      );
    }
  }
  const s = input.assessment?.severity;
  if (s !== undefined) {
    lines.push(
      lang === 'nl'
        ? `Ernst volgens de ENISA-methode: ${s.score.toFixed(2)} (${SEVERITY_NAMES[s.level]?.nl ?? s.level}).`
        : `Severity by the ENISA methodology: ${s.score.toFixed(2)} (${SEVERITY_NAMES[s.level]?.en ?? s.level}).`,
    );
  }
  return lines.length > 0 ? lines.join('\n') : UNKNOWN[lang];
}

function notesOf(input: DraftInput, pattern?: RegExp): string[] {
  return input.events
    .filter((e) => e.kind === 'note' && (pattern === undefined || pattern.test(e.text)))
    .map((e) => e.text.trim());
}

function measures(input: DraftInput, lang: Lang): string {
  const lines: string[] = [];
  if (input.case.containedAt !== null) {
    lines.push(
      `${lang === 'nl' ? 'De inbreuk is ingedamd op' : 'The breach was contained on'} ${formatInstant(input.case.containedAt, lang, input.timeZone)}.`,
    );
  }
  for (const note of notesOf(input)) lines.push(`- ${note}`);
  if (input.facts?.subsequentMeasures) {
    lines.push(
      lang === 'nl'
        ? 'Genomen maatregelen zorgen dat het hoge risico voor de betrokkenen zich waarschijnlijk niet meer voordoet.'
        : 'Measures taken ensure that the high risk to the persons is no longer likely to materialise.',
    );
  }
  if (input.facts?.passwordStorage !== undefined && input.facts.passwordStorage !== 'none') {
    lines.push(
      lang === 'nl'
        ? '- wachtwoorden van de getroffen accounts worden opnieuw ingesteld'
        : '- passwords of the affected accounts are being reset',
    );
  }
  if (input.case.resolvedAt === null) {
    lines.push(
      lang === 'nl'
        ? 'Het onderzoek naar de oorzaak loopt; aanvullende maatregelen volgen.'
        : 'The investigation of the cause is ongoing; further measures will follow.',
    );
  }
  return lines.length > 0 ? lines.join('\n') : UNKNOWN[lang];
}

function subjectsInformed(input: DraftInput, lang: Lang): string {
  const d = input.decision?.subjects;
  const sent = input.subjectsNotice;
  const lines: string[] = [];
  if (sent !== null) {
    lines.push(
      lang === 'nl'
        ? `De betrokkenen zijn persoonlijk per e-mail geïnformeerd vanaf ${formatInstant(sent.firstSentAt, lang, input.timeZone)} (${formatCount(sent.recipients, lang)} ontvangers), elk met een persoonlijke pagina met wat het voor hen betekent en wat zij moeten doen.`
        : `The persons were informed personally by email from ${formatInstant(sent.firstSentAt, lang, input.timeZone)} (${formatCount(sent.recipients, lang)} recipients), each with a personal page stating what it means for them and what they must do.`,
    );
  } else if (d?.notify) {
    lines.push(
      lang === 'nl'
        ? 'De betrokkenen worden zo snel mogelijk persoonlijk geïnformeerd (art. 34 AVG).'
        : 'The persons will be informed personally without undue delay (GDPR Art. 34).',
    );
  } else if (d !== undefined) {
    lines.push(
      lang === 'nl'
        ? 'De betrokkenen worden niet geïnformeerd: de inbreuk levert naar verwachting geen hoog risico voor hen op.'
        : 'The persons will not be informed: the breach is not expected to result in a high risk to them.',
    );
  } else {
    lines.push(UNKNOWN[lang]);
  }
  if (d?.publicCommunication) {
    lines.push(
      lang === 'nl'
        ? 'Omdat individueel informeren een onevenredige inspanning vergt, volgt een openbare mededeling (art. 34 lid 3 onder c AVG).'
        : 'Because informing each person individually would involve disproportionate effort, a public communication follows (GDPR Art. 34(3)(c)).',
    );
  }
  if (d?.rationale) lines.push(`${lang === 'nl' ? 'Toelichting' : 'Rationale'}: ${d.rationale}`);
  return lines.join('\n');
}

function crossBorder(input: DraftInput, lang: Lang): string {
  const f = input.facts;
  if (f === null) return UNKNOWN[lang];
  const nis2 = f.nis2.euUsersAffectedPercent > 0;
  if (f.crossBorder) {
    return lang === 'nl'
      ? 'Er is sprake van grensoverschrijdende verwerking; betrokkenen in meerdere lidstaten kunnen zijn getroffen. De melding gaat naar de leidende toezichthouder (art. 56 AVG).'
      : 'The processing is cross-border; persons in several Member States may be affected. The notification goes to the lead supervisory authority (GDPR Art. 56).';
  }
  return nis2
    ? lang === 'nl'
      ? `Geen grensoverschrijdende verwerking bekend; ${f.nis2.euUsersAffectedPercent}% van de gebruikers in de EU is getroffen.`
      : `No cross-border processing known; ${f.nis2.euUsersAffectedPercent}% of the users in the EU are affected.`
    : lang === 'nl'
      ? 'Geen grensoverschrijdende verwerking of gevolgen bekend.'
      : 'No cross-border processing or impact known.';
}

function other(input: DraftInput, lang: Lang): string {
  const s = input.supplementTo;
  if (s !== undefined) {
    const ref = s.reference ?? UNKNOWN[lang];
    return lang === 'nl'
      ? `Aanvulling op de melding (versie ${s.version}, kenmerk ${ref}) volgens art. 33 lid 4 AVG.`
      : `Supplement to the notification (version ${s.version}, reference ${ref}) under GDPR Art. 33(4).`;
  }
  return input.case.resolvedAt === null
    ? lang === 'nl'
      ? 'Het onderzoek loopt nog; aanvullende informatie volgt in fasen (art. 33 lid 4 AVG).'
      : 'The investigation is ongoing; further information will follow in phases (GDPR Art. 33(4)).'
    : '';
}

function severityAndImpact(input: DraftInput, lang: Lang): string {
  const f = input.facts;
  const lines: string[] = [];
  const s = input.assessment?.severity;
  if (s !== undefined) {
    lines.push(
      `${lang === 'nl' ? 'Ernst (ENISA)' : 'Severity (ENISA)'}: ${s.score.toFixed(2)} (${SEVERITY_NAMES[s.level]?.[lang] ?? s.level}).`,
    );
  }
  if (input.assessment !== null) {
    lines.push(
      `${lang === 'nl' ? 'Significant incident' : 'Significant incident'}: ${(input.decision?.nis2.significant ?? input.assessment.nis2.significant) ? (lang === 'nl' ? 'ja' : 'yes') : lang === 'nl' ? 'nee' : 'no'}.`,
    );
    const advice = input.localAdvice?.[lang] ?? input.assessment;
    for (const reason of advice.nis2.reasons) lines.push(`- ${reason}`);
  }
  if (f !== null) {
    const n = f.nis2;
    lines.push(
      `${lang === 'nl' ? 'Getroffen gebruikers' : 'Users affected'}: ${formatCount(n.usersAffected, lang)} (${n.euUsersAffectedPercent}% ${lang === 'nl' ? 'van de gebruikers in de EU' : 'of the users in the EU'}).`,
    );
    if (n.unavailability !== 'none') {
      lines.push(
        lang === 'nl'
          ? `Onbeschikbaarheid: ${n.unavailability === 'complete' ? 'volledig' : 'gedeeltelijk'}, ${n.unavailabilityMinutes} minuten.`
          : `Unavailability: ${n.unavailability}, ${n.unavailabilityMinutes} minutes.`,
      );
    }
    if (n.financialLossEur > 0) {
      lines.push(
        `${lang === 'nl' ? 'Financieel verlies' : 'Financial loss'}: EUR ${new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB').format(n.financialLossEur)}.`,
      );
    }
  }
  return lines.length > 0 ? lines.join('\n') : UNKNOWN[lang];
}

function maliciousAct(input: DraftInput, lang: Lang): string {
  const f = input.facts;
  if (f === null) return UNKNOWN[lang];
  if (f.maliciousIntent || f.nis2.maliciousAccessSevereDisruption) {
    return lang === 'nl'
      ? 'Ja: het incident is vermoedelijk veroorzaakt door een onrechtmatige of kwaadwillige handeling.'
      : 'Yes: the incident is suspected to have been caused by an unlawful or malicious act.';
  }
  return lang === 'nl'
    ? 'Nee: er zijn op dit moment geen aanwijzingen voor een onrechtmatige of kwaadwillige handeling.'
    : 'No: there is currently no indication of an unlawful or malicious act.';
}

function indicators(input: DraftInput, lang: Lang): string {
  const iocs = notesOf(input, /\b(ioc|iocs|indicator|indicators|indicatoren)\b/i);
  if (iocs.length > 0) return iocs.map((t) => `- ${t}`).join('\n');
  return lang === 'nl' ? 'Nog niet beschikbaar.' : 'Not yet available.';
}

function update(input: DraftInput, lang: Lang): string {
  const earlier = input.submissions.find((s) => s.kind === 'nis2-early-warning');
  const head = earlier
    ? lang === 'nl'
      ? `Vervolg op de vroegtijdige waarschuwing van ${formatInstant(earlier.submittedAt, lang, input.timeZone)}${earlier.reference ? ` (kenmerk ${earlier.reference})` : ''}.`
      : `Follows the early warning of ${formatInstant(earlier.submittedAt, lang, input.timeZone)}${earlier.reference ? ` (reference ${earlier.reference})` : ''}.`
    : '';
  return sentences(head, `\n${nature(input, lang)}`, `\n${timeline(input, lang)}`).trim();
}

function threatType(input: DraftInput, lang: Lang): string {
  const causes = notesOf(input, /\b(oorzaak|root cause|cause)\b/i);
  const base = input.facts?.maliciousIntent
    ? lang === 'nl'
      ? 'Kwaadwillige aanval.'
      : 'Malicious attack.'
    : lang === 'nl'
      ? 'Geen aanwijzing voor een aanval; vermoedelijk een fout of storing.'
      : 'No indication of an attack; presumably an error or failure.';
  return [base, ...causes.map((c) => `- ${c}`)].join('\n');
}

const BUILDERS: Readonly<Record<string, (input: DraftInput, lang: Lang) => string>> = {
  contactPoint,
  timeline,
  nature,
  personalData: (input, lang) => categories(input.facts, lang),
  records: (input, lang) => formatCount(input.facts?.records ?? null, lang),
  dataSubjects,
  priorMeasures,
  consequences,
  measures,
  subjectsInformed,
  crossBorder,
  other,
  summary: nature,
  maliciousAct,
  crossBorderImpact: crossBorder,
  update,
  initialAssessment: severityAndImpact,
  indicatorsOfCompromise: indicators,
  description: (input, lang) => `${nature(input, lang)}\n\n${severityAndImpact(input, lang)}`,
  threatType,
  mitigation: measures,
};

/** The figures of a report, from the facts and the case. */
export function draftFigures(input: DraftInput): ReportFigures {
  return {
    dataSubjects: input.facts?.dataSubjects ?? null,
    records: input.facts?.records ?? null,
    dataCategories: [...(input.facts?.dataCategories ?? [])],
    detectedAt: input.case.detectedAt,
    awareAt: input.case.awareAt,
    containedAt: input.case.containedAt,
    resolvedAt: input.case.resolvedAt,
    severityScore: input.assessment?.severity.score ?? null,
    severityLevel: input.assessment?.severity.level ?? null,
    crossBorder: input.facts?.crossBorder ?? null,
  };
}

/** One field drafted in both languages. */
export function draftField(input: DraftInput, key: string): Localised {
  const build = BUILDERS[key];
  if (build === undefined) return { nl: '', en: '' };
  return both((lang) => build(input, lang));
}

/** A complete draft of a report of the given kind. */
export function draftReport(kind: ReportKind, input: DraftInput): ReportContent {
  const fields: Record<string, Localised> = {};
  for (const f of REPORT_FIELDS[kind]) fields[f.key] = draftField(input, f.key);
  return { kind, fields, figures: draftFigures(input) };
}

export { LANGS as REPORT_LANGUAGES };
