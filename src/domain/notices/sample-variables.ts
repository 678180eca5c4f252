import type { Language } from '../language.js';
import { BUILTIN_IMPACT_KEYS } from './builtin-templates.js';
import type { NoticeVariables } from './notice-variables.js';
import { NO_FACTS } from './case-facts.js';

/**
 * A complete, realistic variable set: for previews in the editor ("show with sample data"),
 * for tests and for benchmarks. Every built-in impact key has a value.
 */
export function sampleNoticeVariables(language: Language = 'nl'): NoticeVariables {
  const nl = language === 'nl';
  const impact: Record<string, unknown> = {
    data: nl
      ? ['naam', 'e-mailadres', 'factuuradres', 'gehashte wachtwoorden']
      : ['name', 'email address', 'billing address', 'hashed passwords'],
    accounts: ['info@bakkerij-jansen.nl'],
    domains: ['bakkerij-jansen.nl', 'jansenbrood.nl'],
    servers: ['web-ams-042'],
    software: 'WordPress',
    version: '6.4.2',
    fixed_version: '6.4.3',
    deadline: nl ? '14 maart 2025' : '14 March 2025',
    consequences: nl
      ? 'Uw wachtwoord was versleuteld opgeslagen, maar een zwak wachtwoord kan worden geraden.'
      : 'Your password was stored encrypted, but a weak password can be guessed.',
    measures: nl
      ? 'We hebben uw oude API-sleutel geblokkeerd.'
      : 'We have blocked your old API key.',
  };
  for (const key of Object.keys(BUILTIN_IMPACT_KEYS)) impact[key] ??= key;
  return {
    customer: {
      external_id: 'C-100234',
      name: 'Marieke Jansen',
      email: 'marieke@bakkerij-jansen.nl',
      language,
      street: 'Dorpsstraat 12',
      postal_code: '1234 AB',
      city: 'Amersfoort',
      country: 'NL',
      attributes: { plan: 'Business', customer_since: '2016' },
    },
    impact,
    case: {
      kind: 'incident',
      reference: 'CND-2025-004',
      detected_at: nl ? '3 maart 2025 om 14:20' : '3 March 2025 at 14:20',
      aware_at: nl ? '3 maart 2025 om 16:05' : '3 March 2025 at 16:05',
      contained_at: nl ? '3 maart 2025 om 18:40' : '3 March 2025 at 18:40',
      resolved_at: null,
    },
    statements: nl
      ? {
          headline: 'Inbraak op het klantportaal',
          what_happened:
            'Een aanvaller kwam binnen via een fout in ons klantportaal. Hij kon zo klantgegevens inzien.',
          what_we_did: 'We hebben de fout in het klantportaal hersteld.',
        }
      : {
          headline: 'Break-in on the customer portal',
          what_happened:
            'An attacker got in through a flaw in our customer portal. This let them see customer data.',
          what_we_did: 'We have fixed the flaw in the customer portal.',
        },
    facts: { ...NO_FACTS, contained: true },
    organisation: {
      name: 'Voorbeeld Hosting B.V.',
      contact_email: 'security@voorbeeld-hosting.nl',
      contact_phone: '+31 20 123 4567',
      dpo_email: 'privacy@voorbeeld-hosting.nl',
      website: 'https://www.voorbeeld-hosting.nl',
      security_page_url: 'https://www.voorbeeld-hosting.nl/security',
    },
    personal_url: 'https://notices.voorbeeld-hosting.nl/p/8f3K2qLm9xTz4vWc7bNd',
  };
}
