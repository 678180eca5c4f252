import type { ClockKind } from '../../../domain/assessment/legal-clocks.js';

// Service errors and stored reasons are written once, in English, as the API and the audit
// log carry them; the workspace shows them in the reader's language (issue 13). Stored
// values are never rewritten: this table translates at presentation, and a message not in
// it is shown as it was stored.

type Translation = [RegExp, (m: RegExpExecArray) => string];

const NL: Translation[] = [
  [
    /^four-eyes rule: (.+) wrote part of this notice and cannot approve it$/,
    (m) =>
      `Vier-ogenprincipe: ${m[1]} heeft aan dit bericht meegeschreven en kan het daarom niet goedkeuren.`,
  ],
  [
    /^only a user with the approver role can approve a notice$/,
    () => 'Alleen een gebruiker met de rol goedkeurder kan een bericht goedkeuren.',
  ],
  [
    /^the notice changed after you opened it; review the new version$/,
    () => 'Het bericht is gewijzigd nadat u het opende; bekijk de nieuwe versie.',
  ],
  [
    /^the notice or a case value it uses changed after you opened it; review it again$/,
    () =>
      'Het bericht of een zaakgegeven dat het gebruikt is gewijzigd nadat u het opende; bekijk het opnieuw.',
  ],
  [
    /^the notice changed during approval; review it again$/,
    () => 'Het bericht is tijdens het goedkeuren gewijzigd; bekijk het opnieuw.',
  ],
  [
    /^the report changed after you opened it; review the new content$/,
    () => 'De melding is gewijzigd nadat u haar opende; bekijk de nieuwe inhoud.',
  ],
  [/^version (\d+) is already submitted$/, (m) => `Versie ${m[1]} is al ingediend.`],
  [
    /^required when a report is filed after its deadline \(GDPR Art\. 33\(1\)\)$/,
    () => 'verplicht als de melding na de termijn wordt ingediend (AVG art. 33 lid 1)',
  ],
  [
    /^must explain the decision in at least 20 characters$/,
    () => 'licht de beslissing toe in minstens 20 tekens',
  ],
];

/** A service message in the reader's language; unknown messages pass unchanged. */
export function localizeMessage(message: string, locale: 'nl' | 'en'): string {
  if (locale === 'en') return message;
  for (const [re, nl] of NL) {
    const m = re.exec(message);
    if (m) return nl(m);
  }
  return message;
}

/** The article behind a legal clock, as a Dutch or English reader cites it. */
export const CLOCK_ARTICLE_LABELS: Record<'nl' | 'en', Record<ClockKind, string>> = {
  nl: {
    'gdpr-art33': 'AVG art. 33 lid 1',
    'nis2-early-warning': 'NIS2 art. 23 lid 4 onder a',
    'nis2-notification': 'NIS2 art. 23 lid 4 onder b',
    'nis2-final': 'NIS2 art. 23 lid 4 onder d',
  },
  en: {
    'gdpr-art33': 'GDPR Art. 33(1)',
    'nis2-early-warning': 'NIS2 Art. 23(4)(a)',
    'nis2-notification': 'NIS2 Art. 23(4)(b)',
    'nis2-final': 'NIS2 Art. 23(4)(d)',
  },
};
