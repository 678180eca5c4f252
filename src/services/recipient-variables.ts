import type { Language } from '../config.js';
import { formatNoticeDate, type NoticeVariables } from '../domain/notices/notice-variables.js';
import type { Organisation } from '../domain/organisation.js';
import type { CaseRow } from '../store/schema.js';

/** The recipient fields a notice can use, from the registry or the frozen set. */
export interface RecipientFacts {
  externalId: string;
  name: string | null;
  email: string | null;
  language: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  attributes: Record<string, unknown>;
  impact: Record<string, unknown>;
}

/** The parts of the variables that are the same for every recipient of one case. */
export interface SharedVariables {
  kase: CaseRow;
  organisation: Organisation;
  securityPageUrl: string | null;
}

/** Everything one personal render sees; dates in the notice's language. */
export function recipientVariables(
  recipient: RecipientFacts,
  shared: SharedVariables,
  language: Language,
  personalUrl: string,
): NoticeVariables {
  const { kase, organisation } = shared;
  return {
    customer: {
      external_id: recipient.externalId,
      name: recipient.name,
      email: recipient.email,
      language: recipient.language === 'en' ? 'en' : 'nl',
      street: recipient.street,
      postal_code: recipient.postalCode,
      city: recipient.city,
      country: recipient.country,
      attributes: recipient.attributes,
    },
    impact: recipient.impact,
    case: caseVariables(kase, language),
    organisation: {
      name: organisation.name,
      contact_email: organisation.contactEmail,
      contact_phone: organisation.contactPhone || null,
      dpo_email: organisation.dpoEmail || null,
      website: organisation.website || null,
      security_page_url: shared.securityPageUrl,
    },
    personal_url: personalUrl,
  };
}

/** The notice language for a recipient: theirs when the notice has it, else the default. */
export function noticeLanguageFor(
  recipientLanguage: string,
  available: ReadonlySet<string>,
  fallback: Language,
): Language {
  return available.has(recipientLanguage) ? (recipientLanguage as Language) : fallback;
}

const caseCache = new WeakMap<CaseRow, Partial<Record<Language, NoticeVariables['case']>>>();

/** The case as templates see it, dates formatted once per case and language. */
function caseVariables(kase: CaseRow, language: Language): NoticeVariables['case'] {
  let perLanguage = caseCache.get(kase);
  if (!perLanguage) caseCache.set(kase, (perLanguage = {}));
  return (perLanguage[language] ??= {
    title: kase.title,
    summary: kase.summary,
    kind: kase.kind === 'advisory' ? 'advisory' : 'incident',
    reference: kase.reference,
    detected_at: formatNoticeDate(kase.detected_at, language),
    aware_at: formatNoticeDate(kase.aware_at, language),
    contained_at: formatNoticeDate(kase.contained_at, language),
    resolved_at: formatNoticeDate(kase.resolved_at, language),
  });
}
