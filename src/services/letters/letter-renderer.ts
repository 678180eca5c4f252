import { createHash } from 'node:crypto';
import type { Language } from '../../config.js';
import {
  LetterBatchPdf,
  type LetterContent,
  type LetterLabels,
  type LetterRemedies,
  type Letterhead,
} from '../../channels/letters/letter-pdf.js';
import { letterAddress } from '../../domain/letters/letter-address.js';
import {
  compileNotice,
  renderNoticeText,
  type CompiledNotice,
} from '../../domain/notices/notice-renderer.js';
import { snapshotSharedVariables } from '../../domain/notices/notice-snapshot.js';
import { remedyInstructionsText } from '../../domain/remedies/remedy-text.js';
import { formatRecipientDate, recipientTimeZone } from '../../domain/recipient-time.js';
import { csvRecord } from '../../ingest/csv-writer.js';
import type { Executor } from '../../store/executor.js';
import type { LetterRecipient } from '../../store/letter.repository.js';
import { findNotice } from '../../store/notice.repository.js';
import type { DispatchRow } from '../../store/schema.js';
import { requireCase } from '../cases/case-lookup.js';
import { organisationIn } from '../cases/case-context.js';
import { dispatchContent } from '../dispatch/dispatch-renderer.js';
import { personalToken } from '../../lib/personal-token.js';
import { noticeLanguageFor, recipientVariables } from '../notices/recipient-variables.js';
import { referenceCode } from '../../lib/reference-code.js';
import {
  loadCaseRemedies,
  remediesOfRecipient,
  type CaseRemedy,
} from '../remedies/remedy-page.service.js';

export interface LetterRenderDeps {
  secret: Buffer;
  publicUrl: string;
  /** The installation's zone, for the date of recipients whose own zone is unknown. */
  timeZone: string;
}

const LABELS: Record<Language, Omit<LetterLabels, 'dateValue' | 'referenceValue'>> = {
  nl: {
    date: 'Datum',
    reference: 'Ons kenmerk',
    code: 'Berichtcode',
    personalPage: 'Uw persoonlijke pagina',
    personalPageHint:
      'Typ dit adres in uw browser of scan de QR-code rechtsboven met uw telefoon. Daar leest u wat dit voor u betekent en kunt u laten weten dat u het bericht hebt ontvangen.',
    verify:
      'Twijfelt u of deze brief van ons is? Vul de berichtcode in op onze beveiligingspagina, of bel ons.',
    page: (n) => `pagina ${n}`,
  },
  en: {
    date: 'Date',
    reference: 'Our reference',
    code: 'Notice code',
    personalPage: 'Your personal page',
    personalPageHint:
      'Type this address into your browser or scan the QR code at the top right with your phone. It shows what this means for you, and you can let us know you received this notice.',
    verify:
      'Not sure this letter is from us? Enter the notice code on our security page, or give us a call.',
    page: (n) => `page ${n}`,
  },
};

const ACTIONS_HEADING: Record<Language, string> = {
  nl: 'Wat u moet doen',
  en: 'What you should do',
};

const REMEDY_STATE: Record<Language, { done: string; open: string }> = {
  nl: { done: 'gedaan', open: 'nog niet gedaan' },
  en: { done: 'done', open: 'not done yet' },
};

/**
 * The case's remedies for one recipient in their language. Done counts as of the letter's
 * instant `at`, so printing a batch again for the same instant gives the same state.
 */
async function letterRemedies(
  db: Executor,
  caseRemedies: readonly CaseRemedy[],
  recipientId: number,
  language: Language,
  at: string,
): Promise<LetterRemedies | null> {
  const remedies = await remediesOfRecipient(db, caseRemedies, recipientId, language);
  if (remedies.length === 0) return null;
  const state = REMEDY_STATE[language];
  return {
    heading: ACTIONS_HEADING[language],
    items: remedies.map((r) => ({
      title: r.title,
      state: r.completedAt !== null && r.completedAt <= at ? state.done : state.open,
      text: remedyInstructionsText(r.instructions),
    })),
  };
}

/** Renders the letters of one dispatch: the approved snapshot, per recipient. */
export interface DispatchLetterRenderer {
  letterhead: Letterhead;
  caseReference: string;
  /**
   * The letter of one recipient, whose letter delivery has id `deliveryId`; `db` is the
   * caller's executor (its transaction, which on SQLite is the only connection).
   */
  letter(
    recipient: LetterRecipient,
    deliveryId: number,
    at: string,
    db: Executor,
  ): Promise<LetterContent>;
}

/**
 * Builds the letter renderer of a dispatch. The content is what the dispatch sends by mail —
 * the snapshot its approval pinned (dispatchContent checks the hash) — rendered for each
 * recipient in their language with their impact, personal link and the letter's own reference
 * code; only the letterhead comes from the settings as they are now.
 */
export async function createLetterRenderer(
  db: Executor,
  dispatch: DispatchRow,
  deps: LetterRenderDeps,
): Promise<DispatchLetterRenderer> {
  const notice = await findNotice(db, dispatch.notice_id);
  if (!notice) throw new Error(`dispatch ${dispatch.id}: its notice is missing`);
  const kase = await requireCase(db, dispatch.case_id);
  const organisation = await organisationIn(db);
  const { snapshot, compiled } = await dispatchContent(db, dispatch, notice);
  const languages = new Set<string>(compiled.keys());
  const shared = new Map(
    [...languages].map((l) => [l as Language, snapshotSharedVariables(snapshot, l as Language)]),
  );
  // "What you should do" stands for the remedies until cases have remedies of their own; only
  // the approved statement, and only when the notice's own text does not already carry it.
  const actions = new Map<Language, CompiledNotice | null>();
  for (const [language, values] of shared) {
    const text = values.statements.what_you_should_do;
    actions.set(
      language,
      typeof text === 'string' && text.trim() !== ''
        ? compileNotice({ language, subject: '', body: text })
        : null,
    );
  }
  const securityPageUrl = `${deps.publicUrl}/security`;
  // As of the build's start: a build is one run, its letters list the same remedies.
  const caseRemedies = await loadCaseRemedies(db, Number(kase.id));
  const letterhead: Letterhead = {
    name: organisation.name,
    address: organisation.postalAddress
      .split(/\s*[\n,]\s*/)
      .map((l) => l.trim())
      .filter(Boolean),
    website: organisation.website.replace(/^https?:\/\//, '').replace(/\/$/, ''),
  };
  return {
    letterhead,
    caseReference: kase.reference,
    async letter(recipient, deliveryId, at, executor) {
      const language = noticeLanguageFor(recipient.language, languages, snapshot.defaultLanguage);
      const personalUrl = `${deps.publicUrl}/n/${personalToken(deps.secret, kase.id, recipient.recipientId)}`;
      const variables = recipientVariables(recipient, shared.get(language)!, {
        personalUrl,
        securityPageUrl,
      });
      const code = referenceCode(deps.secret, deliveryId);
      variables.reference_code = code;
      const rendered = renderNoticeText(compiled.get(language)!, variables);
      const action = actions.get(language);
      const actionText = action ? renderNoticeText(action, variables).text : '';
      const address = letterAddress(recipient);
      const zone = recipientTimeZone(recipient, deps.timeZone);
      const remedies = await letterRemedies(
        executor,
        caseRemedies,
        recipient.recipientId,
        language,
        at,
      );
      return {
        address: address.printable ? address.lines : [],
        subject: rendered.subject,
        body: rendered.text,
        remedies,
        // The case's own remedies take the place of the "what you should do" statement.
        actions:
          remedies === null &&
          actionText !== '' &&
          !rendered.text.includes(actionText.split('\n')[0]!)
            ? { heading: ACTIONS_HEADING[language], text: actionText }
            : null,
        personalUrl,
        referenceCode: code,
        labels: {
          ...LABELS[language],
          dateValue: formatRecipientDate(at, language, zone),
          referenceValue: kase.reference,
        },
      };
    },
  };
}

/** One built batch: the merged PDF, its manifest, and where each letter is. */
export interface RenderedBatch {
  pdf: Buffer;
  manifest: string;
  pdfSha256: string;
  manifestSha256: string;
  pages: number;
  placements: { deliveryId: number; firstPage: number; pages: number }[];
}

export const MANIFEST_HEADER = [
  'letter_number',
  'first_page',
  'last_page',
  'pages',
  'external_id',
  'reference_code',
  'address_1',
  'address_2',
  'address_3',
  'address_4',
  'address_5',
  'address_6',
];

/**
 * Renders letters into one merged PDF and a CSV manifest for the print house. Deterministic:
 * the same letters at the same `createdAt` give the same bytes.
 */
export async function renderLetterBatch(
  renderer: DispatchLetterRenderer,
  letters: readonly { recipient: LetterRecipient; deliveryId: number }[],
  meta: { batchLabel: string; createdAt: string },
  db: Executor,
): Promise<RenderedBatch> {
  const pdfWriter = new LetterBatchPdf(renderer.letterhead, {
    title: `${renderer.caseReference} ${meta.batchLabel}`,
    createdAt: new Date(meta.createdAt),
  });
  let manifest = csvRecord(MANIFEST_HEADER);
  const placements: RenderedBatch['placements'] = [];
  for (const [i, { recipient, deliveryId }] of letters.entries()) {
    const content = await renderer.letter(recipient, deliveryId, meta.createdAt, db);
    const place = pdfWriter.add(content);
    placements.push({ deliveryId, ...place });
    const address = [...content.address];
    while (address.length < 6) address.push('');
    manifest += csvRecord(
      [
        String(i + 1),
        String(place.firstPage),
        String(place.firstPage + place.pages - 1),
        String(place.pages),
        recipient.externalId,
        content.referenceCode,
        ...address.slice(0, 6),
      ],
      { neutraliseFormulas: true },
    );
  }
  const pdf = await pdfWriter.end();
  const last = placements[placements.length - 1];
  return {
    pdf,
    manifest,
    pdfSha256: sha256(pdf),
    manifestSha256: sha256(manifest),
    pages: last ? last.firstPage + last.pages - 1 : 0,
    placements,
  };
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
