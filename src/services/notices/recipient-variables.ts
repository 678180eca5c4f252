import type { Language } from '../../config.js';
import type { NoticeVariables } from '../../domain/notices/notice-variables.js';
import { readFactsObject } from '../../store/executor.js';
import type { CustomerRow } from '../../store/schema.js';

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

/** A reader without personal values: public and press texts, and checks of them. */
export const NO_READER: RecipientFacts = {
  externalId: '',
  name: null,
  email: null,
  language: 'nl',
  street: null,
  postalCode: null,
  city: null,
  country: null,
  attributes: {},
  impact: {},
};

/**
 * The values that are the same for every reader in one language: from an approval snapshot
 * (dispatch, personal page, publication) or from the case as it is now (check, preview).
 */
export type SharedValues = Pick<NoticeVariables, 'case' | 'statements' | 'facts' | 'organisation'>;

/** Everything one personal render sees. */
export function recipientVariables(
  recipient: RecipientFacts,
  shared: SharedValues,
  links: { personalUrl: string; securityPageUrl: string | null },
): NoticeVariables {
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
    case: shared.case,
    statements: shared.statements,
    facts: shared.facts,
    // The page's address is installation configuration, not a case value: never snapshotted.
    organisation: { ...shared.organisation, security_page_url: links.securityPageUrl },
    personal_url: links.personalUrl,
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

/**
 * A frozen recipient or affected-set row as the facts a notice can use. `parsed` gives its
 * JSON columns already read (a check of a million recipients reads them more cheaply).
 */
export function recipientFactsOf(
  row: FactsRow,
  parsed?: Pick<RecipientFacts, 'attributes' | 'impact'>,
): RecipientFacts {
  return {
    externalId: row.external_id,
    name: row.name,
    email: row.email,
    language: row.language,
    street: row.street,
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
    attributes: parsed ? parsed.attributes : readFactsObject(row.attributes),
    impact: parsed ? parsed.impact : readFactsObject(row.impact),
  };
}

/** The columns recipientFactsOf reads: a customer's or a frozen recipient's, with its impact. */
export type FactsRow = Pick<
  CustomerRow,
  'external_id' | 'name' | 'email' | 'language' | 'street' | 'postal_code' | 'city' | 'country'
> & { attributes: unknown; impact: unknown };
