import type {
  Assessment,
  AssessmentFacts,
  DecisionKind,
  EffectiveDecision,
} from './assessment-facts.js';
import { enisaSeverity, type Locale, type SeverityResult } from './enisa-severity.js';
import { caseForAvailability, citeCase, citeDisclosure, citeGeneral } from './edpb-examples.js';
import { nis2Decision } from './nis2-significance.js';

// The notification decisions are advice: rules that follow GDPR Art. 33/34, EDPB
// Guidelines 9/2022 on personal data breach notification and the worked cases of EDPB
// Guidelines 01/2021 (cited by title), and NIS2 Art. 23 with Implementing Regulation
// (EU) 2024/2690. Every reason names its article or guideline so a reviewer can check it.

/** Restoring within this many hours from a backup counts as a short loss of availability. */
export const SHORT_RESTORE_HOURS = 24;

/**
 * Up to this many people, a non-malicious disclosure of ordinary data with a low severity
 * to known recipients is "unlikely to result in a risk" (EDPB Guidelines 01/2021, Case 13;
 * Guidelines 9/2022 on severity and the number of individuals). Rule: docs/assessment.md.
 */
export const SMALL_SCALE_SUBJECTS = 10;

/** Categories whose disclosure is a risk whatever the number of people. */
const RISKY_CATEGORIES = new Set([
  'credentials',
  'sensitive',
  'identity-documents',
  'vulnerable-persons',
  'financial',
]);

const tr = (locale: Locale, en: string, nl: string): string => (locale === 'nl' ? nl : en);

/** Whether the loss of availability, if any, is short and without lasting effect. */
function availabilityHarmless(f: AssessmentFacts): boolean {
  if (f.availability === 'none' || f.availability === 'recoverable') return true;
  return (
    f.availability === 'temporary' &&
    f.backupAvailable &&
    f.restoreHours !== null &&
    f.restoreHours <= SHORT_RESTORE_HOURS
  );
}

const integrityHarmless = (f: AssessmentFacts): boolean =>
  f.integrity === 'none' || f.integrity === 'recoverable';

/** Whether anyone unauthorised saw or may have taken the data. */
export function confidentialityLost(f: AssessmentFacts): boolean {
  return f.confidentiality !== 'none' || f.exfiltration !== 'none';
}

/**
 * The reason the breach is unlikely to result in a risk (Art. 33(1) exemption), or null.
 * Each pattern is one the EDPB itself concluded needs no notification.
 */
function unlikelyToResultInRisk(
  f: AssessmentFacts,
  sev: SeverityResult,
  locale: Locale,
): string | null {
  if (!integrityHarmless(f) || !availabilityHarmless(f)) return null;
  const restoreNote =
    f.availability === 'temporary'
      ? tr(
          locale,
          ` and restored from backup within ${f.restoreHours} h`,
          ` en binnen ${f.restoreHours} uur uit de back-up hersteld`,
        )
      : '';
  if (!confidentialityLost(f)) {
    const availabilityCase = caseForAvailability(f);
    const cite =
      availabilityCase === null ? citeGeneral(locale) : citeCase(availabilityCase, locale);
    return tr(
      locale,
      `GDPR Art. 33(1): unlikely to result in a risk — no unauthorised access or exfiltration, integrity intact${restoreNote} (${cite}).`,
      `AVG art. 33 lid 1: waarschijnlijk geen risico — geen onbevoegde toegang of exfiltratie, integriteit intact${restoreNote} (${cite}).`,
    );
  }
  if (f.encryption === 'state-of-the-art-key-safe') {
    const cite =
      f.incidentKind === 'lost-device'
        ? `${citeGeneral(locale)}; ${citeCase(10, locale)}`
        : citeGeneral(locale);
    return tr(
      locale,
      `GDPR Art. 33(1): unlikely to result in a risk — the data are encrypted with a state-of-the-art algorithm and the key is not compromised, so they are unintelligible to whoever has them${restoreNote} (${cite}).`,
      `AVG art. 33 lid 1: waarschijnlijk geen risico — de gegevens zijn met een state-of-the-art algoritme versleuteld en de sleutel is niet gecompromitteerd, dus onbegrijpelijk voor wie ze heeft${restoreNote} (${cite}).`,
    );
  }
  if (
    f.confidentiality === 'known-recipients' &&
    f.recipientsKnownTrusted &&
    f.deletionConfirmed &&
    !f.maliciousIntent &&
    f.exfiltration === 'none'
  )
    return tr(
      locale,
      `GDPR Art. 33(1): unlikely to result in a risk — the data went to a known, trusted recipient without malicious intent, who confirmed deleting them (EDPB Guidelines 9/2022, trusted recipient; ${citeCase(9, 'en')}).`,
      `AVG art. 33 lid 1: waarschijnlijk geen risico — de gegevens gingen zonder kwade opzet naar een bekende, vertrouwde ontvanger die bevestigde ze te hebben verwijderd (EDPB-richtsnoeren 9/2022, vertrouwde ontvanger; ${citeCase(9, 'nl')}).`,
    );
  const onlyCredentials =
    f.dataCategories.length > 0 && f.dataCategories.every((c) => c === 'credentials');
  if (onlyCredentials && f.passwordStorage === 'strong-salted-hash')
    return tr(
      locale,
      `GDPR Art. 33(1): unlikely to result in a risk — only user names and passwords hashed with a strong salted algorithm were taken, which cannot practically be reversed (${citeCase(6, 'en')}).`,
      `AVG art. 33 lid 1: waarschijnlijk geen risico — alleen gebruikersnamen en met een sterk gezouten algoritme gehashte wachtwoorden zijn buitgemaakt, die praktisch niet te herleiden zijn (${citeCase(6, 'nl')}).`,
    );
  if (smallLowOrdinary(f, sev))
    return tr(
      locale,
      `GDPR Art. 33(1): unlikely to result in a risk — ordinary data of ${f.dataSubjects} ${f.dataSubjects === 1 ? 'person' : 'people'} reached known recipients by mistake, without malicious intent or exfiltration, at a low severity (${sev.score}) (${f.incidentKind === 'misdelivery' ? citeCase(13, 'en') : citeGeneral('en')}; the number of people and the severity weighed together). Ask the recipients to delete the data.`,
      `AVG art. 33 lid 1: waarschijnlijk geen risico — gewone gegevens van ${f.dataSubjects} ${f.dataSubjects === 1 ? 'persoon' : 'personen'} kwamen per vergissing bij bekende ontvangers, zonder kwade opzet of exfiltratie, met een lage ernst (${sev.score}) (${f.incidentKind === 'misdelivery' ? citeCase(13, 'nl') : citeGeneral('nl')}; aantal personen en ernst samen gewogen). Vraag de ontvangers de gegevens te verwijderen.`,
    );
  return null;
}

/**
 * The severity-and-scale exemption: a low severity (after the number of people raised it,
 * if it did), a known small number of people, ordinary data only, known recipients, no
 * malice, nothing taken. Any one missing means a risk is assumed.
 */
function smallLowOrdinary(f: AssessmentFacts, sev: SeverityResult): boolean {
  return (
    sev.level === 'low' &&
    f.dataSubjects !== null &&
    f.dataSubjects <= SMALL_SCALE_SUBJECTS &&
    f.confidentiality === 'known-recipients' &&
    !f.maliciousIntent &&
    f.exfiltration === 'none' &&
    f.dataCategories.every((c) => !RISKY_CATEGORIES.has(c))
  );
}

/** Why the breach is likely to result in a high risk (Art. 34(1)); empty when not. */
function highRiskReasons(f: AssessmentFacts, sev: SeverityResult, locale: Locale): string[] {
  const reasons: string[] = [];
  const level = {
    high: tr(locale, 'high', 'hoog'),
    'very-high': tr(locale, 'very high', 'zeer hoog'),
  };
  if (sev.level === 'high' || sev.level === 'very-high')
    reasons.push(
      tr(
        locale,
        `GDPR Art. 34(1): ENISA severity ${sev.score} (${level[sev.level]}) — likely a high risk to the rights and freedoms of the persons (Recital 75, 85).`,
        `AVG art. 34 lid 1: ENISA-ernst ${sev.score} (${level[sev.level]}) — waarschijnlijk een hoog risico voor de rechten en vrijheden van de betrokkenen (overweging 75, 85).`,
      ),
    );
  if (!confidentialityLost(f)) {
    if (
      f.availability === 'permanent' &&
      f.dataCategories.some((c) => c === 'sensitive' || c === 'vulnerable-persons')
    )
      reasons.push(
        tr(
          locale,
          `GDPR Art. 34(1): special-category or vulnerable persons' data are permanently lost (${f.incidentKind === 'ransomware' ? citeCase(3, 'en') : citeGeneral('en')}).`,
          `AVG art. 34 lid 1: bijzondere gegevens of gegevens van kwetsbare personen zijn blijvend verloren (${f.incidentKind === 'ransomware' ? citeCase(3, 'nl') : citeGeneral('nl')}).`,
        ),
      );
    return reasons;
  }
  if (
    f.dataCategories.includes('credentials') &&
    (f.passwordStorage === 'plain' || f.passwordStorage === 'weak-hash')
  )
    reasons.push(
      tr(
        locale,
        `GDPR Art. 34(1): passwords stored ${f.passwordStorage === 'plain' ? 'in plain text' : 'with a weak hash'} were exposed; people reuse passwords, so account takeover elsewhere is likely (${citeGeneral('en')}; contrast ${citeCase(6, 'en')}).`,
        `AVG art. 34 lid 1: wachtwoorden ${f.passwordStorage === 'plain' ? 'in platte tekst' : 'met een zwakke hash'} opgeslagen zijn blootgesteld; mensen hergebruiken wachtwoorden, dus overname van accounts elders is waarschijnlijk (${citeGeneral('nl')}; vergelijk ${citeCase(6, 'nl')}).`,
      ),
    );
  if (f.dataCategories.includes('identity-documents'))
    reasons.push(
      tr(
        locale,
        'GDPR Art. 34(1): identity documents or national identification numbers enable identity theft and fraud (Recital 85; EDPB Guidelines 9/2022).',
        'AVG art. 34 lid 1: identiteitsbewijzen of nationale identificatienummers maken identiteitsfraude mogelijk (overweging 85; EDPB-richtsnoeren 9/2022).',
      ),
    );
  if (
    f.dataCategories.includes('sensitive') &&
    !f.dpcContext.publiclyAvailable &&
    f.dpcContext.sensitiveDetail !== 'public'
  )
    reasons.push(
      tr(
        locale,
        'GDPR Art. 34(1): special categories of personal data (Art. 9/10) were disclosed (Recital 75; EDPB Guidelines 9/2022).',
        'AVG art. 34 lid 1: bijzondere categorieën persoonsgegevens (art. 9/10) zijn gelekt (overweging 75; EDPB-richtsnoeren 9/2022).',
      ),
    );
  if (f.dataCategories.includes('financial') && f.dpcContext.financialDetail === 'full')
    reasons.push(
      tr(
        locale,
        'GDPR Art. 34(1): full financial details (e.g. card data) enable fraud and financial loss (Recital 85).',
        'AVG art. 34 lid 1: volledige financiële gegevens (bijv. kaartgegevens) maken fraude en financiële schade mogelijk (overweging 85).',
      ),
    );
  if (f.dataCategories.includes('vulnerable-persons'))
    reasons.push(
      tr(
        locale,
        'GDPR Art. 34(1): data of children or other vulnerable persons (Recital 75).',
        'AVG art. 34 lid 1: gegevens van kinderen of andere kwetsbare personen (overweging 75).',
      ),
    );
  return reasons;
}

/** The whole advice for a facts document. */
export function assess(facts: AssessmentFacts, locale: Locale = 'en'): Assessment {
  const sev = enisaSeverity(facts, locale);
  const severity = { score: sev.score, level: sev.level, explanation: sev.explanation };
  const nis2 = nis2Decision(facts, locale);
  if (!facts.personalData) {
    const none = tr(
      locale,
      'GDPR Art. 4(12): no personal data are involved, so this is no personal data breach; Art. 33 and 34 do not apply.',
      'AVG art. 4 punt 12: er zijn geen persoonsgegevens betrokken, dus dit is geen inbreuk in verband met persoonsgegevens; art. 33 en 34 zijn niet van toepassing.',
    );
    return {
      severity,
      authority: { notify: false, reasons: [none] },
      subjects: { notify: false, reasons: [none], publicCommunication: false },
      nis2,
    };
  }
  const register = tr(
    locale,
    'GDPR Art. 33(5): document the breach, its effects and the remedial action in the breach register, notified or not.',
    'AVG art. 33 lid 5: leg de inbreuk, de gevolgen en de genomen maatregelen vast in het datalekregister, ook als er niet gemeld wordt.',
  );
  const exemption = unlikelyToResultInRisk(facts, sev, locale);
  if (exemption) {
    return {
      severity,
      authority: { notify: false, reasons: [exemption, register] },
      subjects: {
        notify: false,
        reasons: [
          tr(
            locale,
            'GDPR Art. 34(1): no risk is likely, so there is no high risk; no communication to the persons is required.',
            'AVG art. 34 lid 1: er is waarschijnlijk geen risico, dus ook geen hoog risico; de betrokkenen hoeven niet te worden geïnformeerd.',
          ),
        ],
        publicCommunication: false,
      },
      nis2,
    };
  }
  const authority: string[] = [
    tr(
      locale,
      'GDPR Art. 33(1): the breach is likely to result in a risk to the rights and freedoms of natural persons: notify the competent supervisory authority without undue delay and where feasible within 72 hours after becoming aware of it.',
      'AVG art. 33 lid 1: de inbreuk brengt waarschijnlijk een risico mee voor de rechten en vrijheden van natuurlijke personen: meld haar zonder onredelijke vertraging en zo mogelijk binnen 72 uur na kennisname aan de bevoegde toezichthoudende autoriteit.',
    ),
  ];
  if (facts.exfiltration !== 'none')
    authority.push(
      tr(
        locale,
        `Exfiltration ${facts.exfiltration === 'confirmed' ? 'confirmed' : 'suspected'}: the data may be misused by others (${citeDisclosure(facts, 'en')}).`,
        `Exfiltratie ${facts.exfiltration === 'confirmed' ? 'bevestigd' : 'vermoed'}: de gegevens kunnen door anderen worden misbruikt (${citeDisclosure(facts, 'nl')}).`,
      ),
    );
  if (facts.availability === 'temporary' || facts.availability === 'permanent')
    authority.push(
      tr(
        locale,
        `Loss of availability (${facts.availability}${facts.backupAvailable ? '' : ', no backup'}) is itself a breach with a risk (${caseForAvailability(facts) === null ? citeGeneral('en') : citeCase(caseForAvailability(facts)!, 'en')}).`,
        `Verlies van beschikbaarheid (${facts.availability}${facts.backupAvailable ? '' : ', geen back-up'}) is zelf een inbreuk met een risico (${caseForAvailability(facts) === null ? citeGeneral('nl') : citeCase(caseForAvailability(facts)!, 'nl')}).`,
      ),
    );
  if (facts.crossBorder)
    authority.push(
      tr(
        locale,
        'GDPR Art. 56(1): cross-border processing — notify the lead supervisory authority.',
        'AVG art. 56 lid 1: grensoverschrijdende verwerking — meld aan de leidende toezichthoudende autoriteit.',
      ),
    );
  authority.push(
    tr(
      locale,
      'GDPR Art. 33(4): information not yet available may be provided in phases without undue further delay.',
      'AVG art. 33 lid 4: informatie die nog niet beschikbaar is, mag zonder onredelijke verdere vertraging in stappen worden verstrekt.',
    ),
    register,
  );
  return {
    severity,
    authority: { notify: true, reasons: authority },
    subjects: subjectsDecision(facts, sev, locale),
    nis2,
  };
}

function subjectsDecision(
  f: AssessmentFacts,
  sev: SeverityResult,
  locale: Locale,
): Assessment['subjects'] {
  const high = highRiskReasons(f, sev, locale);
  if (high.length === 0)
    return {
      notify: false,
      reasons: [
        tr(
          locale,
          'GDPR Art. 34(1): a risk, but not likely a high risk, so no communication to the persons is required; the supervisory authority may still require it (Art. 34(4)).',
          'AVG art. 34 lid 1: wel een risico, maar waarschijnlijk geen hoog risico, dus informeren van de betrokkenen is niet verplicht; de toezichthouder kan het alsnog eisen (art. 34 lid 4).',
        ),
      ],
      publicCommunication: false,
    };
  if (
    f.encryption === 'state-of-the-art-key-safe' &&
    integrityHarmless(f) &&
    f.availability !== 'permanent'
  )
    return {
      notify: false,
      reasons: [
        ...high,
        tr(
          locale,
          'GDPR Art. 34(3)(a): the data are unintelligible to any unauthorised person (state-of-the-art encryption, key safe): no communication required.',
          'AVG art. 34 lid 3 onder a: de gegevens zijn onbegrijpelijk voor onbevoegden (state-of-the-art versleuteling, sleutel veilig): informeren is niet vereist.',
        ),
      ],
      publicCommunication: false,
    };
  if (f.subsequentMeasures)
    return {
      notify: false,
      reasons: [
        ...high,
        tr(
          locale,
          'GDPR Art. 34(3)(b): subsequent measures ensure the high risk is no longer likely to materialise: no communication required (record the measures).',
          'AVG art. 34 lid 3 onder b: achteraf genomen maatregelen zorgen dat het hoge risico zich waarschijnlijk niet meer voordoet: informeren is niet vereist (leg de maatregelen vast).',
        ),
      ],
      publicCommunication: false,
    };
  const communicate = tr(
    locale,
    'GDPR Art. 34(1)–(2): communicate the breach to the persons without undue delay, in clear and plain language, with the information of Art. 33(3)(b)–(d).',
    'AVG art. 34 lid 1–2: informeer de betrokkenen onverwijld, in duidelijke en eenvoudige taal, met de informatie van art. 33 lid 3 onder b–d.',
  );
  if (f.disproportionateEffort)
    return {
      notify: true,
      reasons: [
        ...high,
        communicate,
        tr(
          locale,
          'GDPR Art. 34(3)(c): contacting each person individually would involve disproportionate effort: make a public communication (or similar measure) that informs them equally effectively.',
          'AVG art. 34 lid 3 onder c: ieder afzonderlijk informeren vergt onevenredige inspanning: doe een openbare mededeling (of een vergelijkbare maatregel) die hen even doeltreffend informeert.',
        ),
      ],
      publicCommunication: true,
    };
  return { notify: true, reasons: [...high, communicate], publicCommunication: false };
}

export interface RecordedOverride {
  decision: DecisionKind;
  notify: boolean;
  publicCommunication: boolean | null;
  rationale: string;
}

/** The decisions in force: the advice, replaced per decision by its latest override. */
export function effectiveDecision(
  personalData: boolean,
  advice: Assessment,
  overridesOldestFirst: readonly RecordedOverride[],
): EffectiveDecision {
  const latest = (d: DecisionKind): RecordedOverride | undefined =>
    overridesOldestFirst.filter((o) => o.decision === d).at(-1);
  const a = latest('authority');
  const s = latest('subjects');
  const n = latest('nis2');
  return {
    personalData,
    authority: a
      ? { notify: a.notify, source: 'override', rationale: a.rationale }
      : { notify: advice.authority.notify, source: 'advice', rationale: null },
    subjects: s
      ? {
          notify: s.notify,
          publicCommunication: s.notify && (s.publicCommunication ?? false),
          source: 'override',
          rationale: s.rationale,
        }
      : {
          notify: advice.subjects.notify,
          publicCommunication: advice.subjects.publicCommunication,
          source: 'advice',
          rationale: null,
        },
    nis2: n
      ? { significant: n.notify, source: 'override', rationale: n.rationale }
      : { significant: advice.nis2.significant, source: 'advice', rationale: null },
  };
}
