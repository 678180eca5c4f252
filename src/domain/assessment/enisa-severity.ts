import type { AssessmentFacts, DataCategory, SeverityLevel } from './assessment-facts.js';

// ENISA, "Recommendations for a methodology of the assessment of severity of personal
// data breaches", working document v1.0, December 2013: SE = DPC × EI + CB.
// DPC (data processing context, 1–4) is the criticality of the data set in its context;
// EI (ease of identification, 0.25–1) corrects it; CB (circumstances of the breach) can
// only add. Which of ENISA's contextual adjustments Candor models, and how the facts map
// onto them, is documented in docs/assessment.md.

export type Locale = 'nl' | 'en';

/** ENISA base scores of its four categories (Annex 1). */
export const DPC_BASE = { simple: 1, behavioural: 2, financial: 3, sensitive: 4 } as const;

/** ENISA EI scale. */
export const EI_SCORES = { negligible: 0.25, limited: 0.5, significant: 0.75, maximum: 1 } as const;

/** ENISA CB scales; "none" is Candor's "this kind of loss did not occur". */
export const CB_CONFIDENTIALITY = {
  none: 0,
  exposed: 0,
  'known-recipients': 0.25,
  'unknown-recipients': 0.5,
} as const;
export const CB_INTEGRITY = {
  none: 0,
  recoverable: 0,
  unrecoverable: 0.25,
  'unrecoverable-used': 0.5,
} as const;
export const CB_AVAILABILITY = {
  none: 0,
  recoverable: 0,
  temporary: 0.25,
  permanent: 0.5,
} as const;
export const CB_MALICIOUS = 0.5;

/** DPC of credentials that can still be used (Candor mapping; the level of financial data). */
export const CREDENTIALS_USABLE_SCORE = 3;

/**
 * How many people raise the level by one band, then by two. ENISA (2013, section 4) weighs
 * the number of persons after the score; Candor makes that visible as a raised level so a
 * breach of 5 000 people cannot read "low". Thresholds: see docs/assessment.md.
 */
export const SCALE_RAISE_ONE = 1_000;
export const SCALE_RAISE_TWO = 100_000;

/** The circumstance values as the Dutch explanation names them. */
const CB_VALUE_NL: Record<string, string> = {
  none: 'geen',
  exposed: 'blootgesteld',
  'known-recipients': 'bekende ontvangers',
  'unknown-recipients': 'onbekende ontvangers',
  recoverable: 'herstelbaar',
  unrecoverable: 'onherstelbaar',
  'unrecoverable-used': 'onherstelbaar en misbruikt',
  temporary: 'tijdelijk',
  permanent: 'blijvend',
};

/** The bands: low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high. */
export function severityLevel(score: number): SeverityLevel {
  if (score < 2) return 'low';
  if (score < 3) return 'medium';
  if (score < 4) return 'high';
  return 'very-high';
}

export interface CategoryScore {
  category: DataCategory;
  score: number;
  /** Why the score differs from the base, in the requested language. */
  note: string;
}

export interface SeverityResult {
  dpc: number;
  ei: number;
  cb: number;
  score: number;
  level: SeverityLevel;
  categories: CategoryScore[];
  explanation: string[];
}

const LEVEL_EN = { low: 'low', medium: 'medium', high: 'high', 'very-high': 'very high' } as const;
const LEVEL_NL = {
  low: 'laag',
  medium: 'gemiddeld',
  high: 'hoog',
  'very-high': 'zeer hoog',
} as const;

/** The level after the number of people affected is weighed (ENISA section 4). */
export function raiseForScale(level: SeverityLevel, dataSubjects: number | null): SeverityLevel {
  const order = ['low', 'medium', 'high', 'very-high'] as const;
  const steps =
    dataSubjects === null
      ? 0
      : dataSubjects >= SCALE_RAISE_TWO
        ? 2
        : dataSubjects >= SCALE_RAISE_ONE
          ? 1
          : 0;
  return order[Math.min(order.length - 1, order.indexOf(level) + steps)]!;
}

const clampDpc = (n: number): number => Math.min(4, Math.max(1, n));
const round2 = (n: number): number => Math.round(n * 100) / 100;
const tr = (locale: Locale, en: string, nl: string): string => (locale === 'nl' ? nl : en);

/** The ENISA score of one category in the facts' context, before the global adjustments. */
export function categoryScore(
  category: Exclude<DataCategory, 'vulnerable-persons'>,
  facts: AssessmentFacts,
  locale: Locale = 'en',
): CategoryScore {
  const c = facts.dpcContext;
  switch (category) {
    case 'simple': {
      // Simple data 1; +1 when it enables profiling or assumptions on social/financial
      // status; +2 when it allows assumptions on health, sex life, beliefs.
      if (c.sensitiveInference)
        return {
          category,
          score: 3,
          note: tr(
            locale,
            'simple data 1, +2: allows assumptions about sensitive matters',
            'eenvoudige gegevens 1, +2: laten aannames over gevoelige zaken toe',
          ),
        };
      if (c.profiling)
        return {
          category,
          score: 2,
          note: tr(
            locale,
            'simple data 1, +1: volume or controller allow profiling',
            'eenvoudige gegevens 1, +1: omvang of verwerker maken profilering mogelijk',
          ),
        };
      return { category, score: 1, note: tr(locale, 'simple data 1', 'eenvoudige gegevens 1') };
    }
    case 'behavioural': {
      if (c.sensitiveInference)
        return {
          category,
          score: 4,
          note: tr(
            locale,
            'behavioural data 2, +2: a profile based on sensitive data',
            'gedragsgegevens 2, +2: een profiel op basis van gevoelige gegevens',
          ),
        };
      if (c.profiling)
        return {
          category,
          score: 3,
          note: tr(
            locale,
            'behavioural data 2, +1: a detailed profile of everyday life',
            'gedragsgegevens 2, +1: een gedetailleerd profiel van het dagelijks leven',
          ),
        };
      if (c.publiclyAvailable)
        return {
          category,
          score: 1,
          note: tr(
            locale,
            'behavioural data 2, -1: no substantial insight or publicly available',
            'gedragsgegevens 2, -1: geen wezenlijk inzicht of openbaar beschikbaar',
          ),
        };
      return { category, score: 2, note: tr(locale, 'behavioural data 2', 'gedragsgegevens 2') };
    }
    case 'financial': {
      const byDetail = { 'existence-only': 1, limited: 2, substantial: 3, full: 4 } as const;
      const score = byDetail[c.financialDetail ?? 'substantial'];
      const delta = score - DPC_BASE.financial;
      const sign = delta > 0 ? `+${delta}` : String(delta);
      return {
        category,
        score,
        note:
          delta === 0
            ? c.financialDetail === null
              ? tr(
                  locale,
                  'financial data 3 (detail not answered: base score)',
                  'financiële gegevens 3 (detail niet beantwoord: basisscore)',
                )
              : tr(locale, 'financial data 3', 'financiële gegevens 3')
            : tr(
                locale,
                `financial data 3, ${sign}: ${c.financialDetail} detail`,
                `financiële gegevens 3, ${sign}: detail ${c.financialDetail}`,
              ),
      };
    }
    case 'sensitive': {
      const byDetail = { public: 1, 'general-assumptions': 2, assumptions: 3, full: 4 } as const;
      const score = c.publiclyAvailable ? 1 : byDetail[c.sensitiveDetail ?? 'full'];
      const delta = score - DPC_BASE.sensitive;
      return {
        category,
        score,
        note:
          delta === 0
            ? c.sensitiveDetail === null
              ? tr(
                  locale,
                  'special-category data 4 (detail not answered: base score)',
                  'bijzondere persoonsgegevens 4 (detail niet beantwoord: basisscore)',
                )
              : tr(locale, 'special-category data 4', 'bijzondere persoonsgegevens 4')
            : tr(
                locale,
                `special-category data 4, ${delta}: ${c.publiclyAvailable ? 'publicly available' : c.sensitiveDetail}`,
                `bijzondere persoonsgegevens 4, ${delta}: ${c.publiclyAvailable ? 'openbaar beschikbaar' : c.sensitiveDetail}`,
              ),
      };
    }
    case 'identity-documents':
      // Not an ENISA category: copies of identity documents and national identification
      // numbers enable identity fraud, so Candor scores them as simple data +2.
      return {
        category,
        score: 3,
        note: tr(
          locale,
          'identity documents: simple data 1, +2 (enable identity fraud; Candor mapping)',
          'identiteitsbewijzen: eenvoudige gegevens 1, +2 (maken identiteitsfraude mogelijk; Candor-toewijzing)',
        ),
      };
    case 'credentials': {
      // ENISA: credentials are no category of their own; they score as the data of the
      // systems they open. Strongly hashed passwords open nothing in practice.
      if (facts.passwordStorage === 'strong-salted-hash')
        return {
          category,
          score: 1,
          note: tr(
            locale,
            'credentials with strong salted hashes: simple data 1',
            'inloggegevens met sterke gezouten hashes: eenvoudige gegevens 1',
          ),
        };
      const others = facts.dataCategories.filter(
        (x): x is Exclude<DataCategory, 'vulnerable-persons' | 'credentials'> =>
          x !== 'credentials' && x !== 'vulnerable-persons',
      );
      // Usable passwords (plain, weakly hashed, or storage not stated) open the account
      // and, because people reuse passwords, accounts elsewhere: at least as critical as
      // financial data (3), whatever else the account holds. Candor mapping, see
      // docs/assessment.md; without it a plain-text password dump scored as a name list.
      const behind = Math.max(1, ...others.map((x) => categoryScore(x, facts, locale).score));
      const score = Math.max(CREDENTIALS_USABLE_SCORE, behind);
      return {
        category,
        score,
        note: tr(
          locale,
          `credentials usable for account takeover (passwords ${facts.passwordStorage === 'plain' ? 'in plain text' : facts.passwordStorage === 'weak-hash' ? 'weakly hashed' : 'storage not stated'}): at least ${CREDENTIALS_USABLE_SCORE}, or the data they give access to (${score}; Candor mapping)`,
          `inloggegevens bruikbaar voor accountovername (wachtwoorden ${facts.passwordStorage === 'plain' ? 'in platte tekst' : facts.passwordStorage === 'weak-hash' ? 'zwak gehasht' : 'opslag niet opgegeven'}): ten minste ${CREDENTIALS_USABLE_SCORE}, of de gegevens waartoe ze toegang geven (${score}; Candor-toewijzing)`,
        ),
      };
    }
  }
}

/** DPC: the most critical category, then the adjustments that apply to the whole set. */
function dataProcessingContext(
  facts: AssessmentFacts,
  locale: Locale,
): { dpc: number; categories: CategoryScore[]; line: string } {
  const listed = facts.dataCategories.filter(
    (x): x is Exclude<DataCategory, 'vulnerable-persons'> => x !== 'vulnerable-persons',
  );
  const categories = (listed.length > 0 ? [...new Set(listed)] : (['simple'] as const)).map((x) =>
    categoryScore(x, facts, locale),
  );
  const top = categories.reduce((a, b) => (b.score > a.score ? b : a));
  let dpc = top.score;
  const parts = [top.note];
  if (listed.length === 0)
    parts.push(
      tr(
        locale,
        'no category given: assumed simple data',
        'geen categorie opgegeven: eenvoudige gegevens aangenomen',
      ),
    );
  if (facts.dataCategories.includes('vulnerable-persons')) {
    dpc = clampDpc(dpc + 1);
    parts.push(
      tr(
        locale,
        '+1: children or other vulnerable persons',
        '+1: kinderen of andere kwetsbare personen',
      ),
    );
  }
  if (facts.dpcContext.invalidOrInaccurate) {
    dpc = clampDpc(dpc - 1);
    parts.push(
      tr(
        locale,
        '-1: data known to be invalid or inaccurate',
        '-1: gegevens aantoonbaar ongeldig of onjuist',
      ),
    );
  }
  return { dpc, categories, line: `DPC = ${dpc} (${parts.join('; ')})` };
}

/** ENISA severity of the breach described by the facts. */
export function enisaSeverity(facts: AssessmentFacts, locale: Locale = 'en'): SeverityResult {
  if (!facts.personalData) {
    return {
      dpc: 0,
      ei: 0,
      cb: 0,
      score: 0,
      level: 'low',
      categories: [],
      explanation: [
        tr(
          locale,
          'No personal data involved: the ENISA personal-data severity does not apply (score 0).',
          'Geen persoonsgegevens betrokken: de ENISA-ernst voor persoonsgegevens is niet van toepassing (score 0).',
        ),
      ],
    };
  }
  const { dpc, categories, line: dpcLine } = dataProcessingContext(facts, locale);
  // Not answered: the cautious maximum, and the explanation says it was assumed.
  const identifiability = facts.identifiability ?? 'maximum';
  const ei = EI_SCORES[identifiability];
  const eiLabel = {
    negligible: tr(locale, 'negligible', 'verwaarloosbaar'),
    limited: tr(locale, 'limited', 'beperkt'),
    significant: tr(locale, 'significant', 'aanzienlijk'),
    maximum: tr(locale, 'maximum', 'maximaal'),
  }[identifiability];
  const cbParts: string[] = [];
  const conf = CB_CONFIDENTIALITY[facts.confidentiality];
  const integ = CB_INTEGRITY[facts.integrity];
  const avail = CB_AVAILABILITY[facts.availability];
  const mal = facts.maliciousIntent ? CB_MALICIOUS : 0;
  const value = (v: string) => (locale === 'nl' ? (CB_VALUE_NL[v] ?? v) : v);
  cbParts.push(
    `${tr(locale, 'confidentiality', 'vertrouwelijkheid')} ${value(facts.confidentiality)} +${conf}`,
  );
  cbParts.push(`${tr(locale, 'integrity', 'integriteit')} ${value(facts.integrity)} +${integ}`);
  cbParts.push(
    `${tr(locale, 'availability', 'beschikbaarheid')} ${value(facts.availability)} +${avail}`,
  );
  cbParts.push(
    `${tr(locale, 'malicious intent', 'kwade opzet')} ${facts.maliciousIntent ? tr(locale, 'yes', 'ja') : tr(locale, 'no', 'nee')} +${mal}`,
  );
  const cb = conf + integ + avail + mal;
  const score = round2(dpc * ei + cb);
  const scoreLevel = severityLevel(score);
  const level = raiseForScale(scoreLevel, facts.dataSubjects);
  const levelText = (locale === 'nl' ? LEVEL_NL : LEVEL_EN)[scoreLevel];
  const explanation = [
    dpcLine,
    `EI = ${ei} (${tr(locale, 'ease of identification', 'identificeerbaarheid')}: ${eiLabel}${facts.identifiability === null ? tr(locale, ' — not answered, the cautious value is assumed', ' — niet beantwoord, de voorzichtige waarde is aangenomen') : ''})`,
    `CB = ${cb} (${cbParts.join('; ')})`,
    `SE = ${dpc} × ${ei} + ${cb} = ${score}: ${levelText} (${tr(locale, 'low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high', 'laag < 2 ≤ gemiddeld < 3 ≤ hoog < 4 ≤ zeer hoog')})`,
  ];
  // ENISA weighs these after the score; we state them so the reader sees them.
  if (facts.encryption === 'state-of-the-art-key-safe')
    explanation.push(
      tr(
        locale,
        'Note: the data are unintelligible (state-of-the-art encryption, key safe); ENISA considers this after the score, the GDPR decisions below take it into account.',
        'Let op: de gegevens zijn onbegrijpelijk (state-of-the-art versleuteling, sleutel veilig); ENISA weegt dit na de score, de AVG-beslissingen hieronder houden er rekening mee.',
      ),
    );
  if (level !== scoreLevel)
    explanation.push(
      tr(
        locale,
        `Scale: about ${facts.dataSubjects} people are affected, which raises the level from ${LEVEL_EN[scoreLevel]} to ${LEVEL_EN[level]} (ENISA weighs the number of persons after the score; from ${SCALE_RAISE_ONE} people one band, from ${SCALE_RAISE_TWO} two).`,
        `Omvang: ongeveer ${facts.dataSubjects} betrokkenen, dat verhoogt het niveau van ${LEVEL_NL[scoreLevel]} naar ${LEVEL_NL[level]} (ENISA weegt het aantal personen na de score; vanaf ${SCALE_RAISE_ONE} personen één stap, vanaf ${SCALE_RAISE_TWO} twee).`,
      ),
    );
  return { dpc, ei, cb, score, level, categories, explanation };
}
