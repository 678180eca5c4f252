import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFacts } from '../../src/services/assessment/assessment.service.js';
import { acknowledgeRecipient } from '../../src/store/recipient.repository.js';
import { WEB12_BREACH } from '../assessment/facts.js';
import { buildScenario, createPeople, type Scenario } from '../dispatch/scenario.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, PASSWORD, type WorkspaceHarness } from '../workspace/workspace-support.js';

// Issue 13: the Dutch workspace speaks Dutch. Every main screen is rendered in Dutch with
// the seed scenario (a dispatched incident) and its visible text is scanned for English
// words from a list; a hit fails with the screen and the word in context. Proper names and
// what users typed (case titles, notice texts of the scenario) are not product text.

/** English words that have no business in the Dutch interface (word boundaries). */
const ENGLISH = [
  'the',
  'and',
  'with',
  'for',
  'you',
  'your',
  'approve',
  'approved',
  'pending',
  'running',
  'sent',
  'failed',
  'queued',
  'delivered',
  'bounced',
  'deferred',
  'draft',
  'settings',
  'notice',
  'notices',
  'case',
  'cases',
  'customer',
  'customers',
  'closed',
  'resolved',
  'advisory',
  'GDPR',
  // Dutch, but not ours: "Status" is the word, formal "u" is the address.
  'Stand',
  'je',
  'jij',
  'jouw',
];

/** Visible text: no scripts, styles or attributes; entities decoded. */
function visibleText(page: string): string {
  return (
    page
      .replace(/<script[\s\S]*?<\/script>/gi, ' ')
      .replace(/<style[\s\S]*?<\/style>/gi, ' ')
      .replace(/<textarea[\s\S]*?<\/textarea>/gi, ' ')
      // Code is code: filter syntax, template source, identifiers.
      .replace(/<(code|pre|kbd|samp)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
  );
}

/** Each English word found, with some context, e.g. `pending: "… 3 pending …"`. */
export function englishWords(text: string, ignore: readonly string[] = []): string[] {
  let scrubbed = text;
  for (const phrase of ignore) scrubbed = scrubbed.split(phrase).join(' ');
  const hits: string[] = [];
  for (const word of ENGLISH) {
    const flags = word === word.toUpperCase() || word === 'Stand' ? 'g' : 'gi';
    const re = new RegExp(`(?<![\\p{L}\\d_/.-])${word}(?![\\p{L}\\d_/-])`, `${flags}u`);
    const m = re.exec(scrubbed);
    if (m) hits.push(`${word}: "…${scrubbed.slice(Math.max(0, m.index - 40), m.index + 40)}…"`);
  }
  return hits;
}

describe('englishWords', () => {
  it('finds English words on word boundaries and ignores parts of Dutch words', () => {
    expect(englishWords('3 berichten pending')).toEqual([expect.stringMatching(/^pending:/)]);
    expect(englishWords('De standaard status; thee en casus')).toEqual([]);
    expect(englishWords('Stand: concept')).toEqual([expect.stringMatching(/^Stand:/)]);
  });
});

describe.each(DIALECTS)('the Dutch workspace on %s', (dialect) => {
  let h: WorkspaceHarness;
  let scenario: Scenario;
  let admin: string;
  let vera: string;
  let ref = '';
  let userData: string[] = [];

  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('boss', ['admin']);
    const people = await createPeople(h.ctx);
    scenario = await buildScenario(h.ctx, people, { customers: 6, until: 'dispatched' });
    const recipients = await h.ctx.database.db
      .selectFrom('case_recipients')
      .select('id')
      .where('case_id', '=', scenario.caseId)
      .limit(2)
      .execute();
    for (const r of recipients)
      await acknowledgeRecipient(h.ctx.database.db, r.id, new Date().toISOString());
    const kase = await h.ctx.database.db
      .selectFrom('cases')
      .select(['reference', 'title'])
      .where('id', '=', scenario.caseId)
      .executeTakeFirstOrThrow();
    ref = kase.reference;
    // Facts, so the assessment tab and the register show advice, reasons and decisions.
    await recordFacts(people.sanne, scenario.caseId, WEB12_BREACH, h.ctx.deps);
    // What users typed is not product text.
    const texts = await h.ctx.database.db
      .selectFrom('notice_texts')
      .select(['subject', 'body'])
      .execute();
    const notices = await h.ctx.database.db.selectFrom('notices').select('title').execute();
    userData = [
      kase.title,
      ...notices.map((n) => n.title),
      ...texts.flatMap((n) => [n.subject, ...n.body.split('\n').map((l) => l.trim())]),
    ]
      .filter((s) => s.trim().length > 3)
      // Longest first, so a line is removed before a phrase inside it.
      .sort((a, b) => b.length - a.length);
    admin = await h.login('boss');
    vera = await h.login('vera', PASSWORD);
  });
  afterAll(() => h.close());

  const screens = () => [
    ['/app', 'dashboard'],
    ['/app/cases', 'cases'],
    [`/app/cases/${ref}`, 'case overview'],
    [`/app/cases/${ref}/affected`, 'affected'],
    [`/app/cases/${ref}/notices`, 'notices'],
    [`/app/cases/${ref}/dispatch`, 'dispatch'],
    [`/app/cases/${ref}/deliveries`, 'deliveries'],
    [`/app/cases/${ref}/public`, 'public'],
    [`/app/cases/${ref}/assessment`, 'assessment'],
    [`/app/cases/${ref}/reports`, 'reports'],
    ['/app/customers', 'customers'],
    ['/app/audit', 'audit log'],
    ['/app/register', 'register'],
    ['/app/settings', 'settings'],
    ['/app/users', 'users'],
    ['/app/account', 'account'],
  ];

  it('renders every main screen without English words', async () => {
    const findings: string[] = [];
    for (const [url, name] of screens()) {
      const page = await h.get(url!, admin);
      expect(page.statusCode, `${name} ${url}`).toBe(200);
      expect(page.body, name).toContain('<html lang="nl">');
      let text = visibleText(page.body);
      // The audit log names its actions by their stable identifiers (case.create, …).
      if (url === '/app/audit')
        text = text.replace(/\b[a-z][a-z-]*\.(?:[a-z][a-z-]*)?(?=\s)/g, ' ');
      for (const hit of englishWords(text, userData)) findings.push(`${name} (${url}) — ${hit}`);
    }
    const anonymous = await h.app.inject({ url: '/app/login' });
    for (const hit of englishWords(visibleText(anonymous.body))) findings.push(`login — ${hit}`);
    const forbidden = await h.get('/app/users', vera);
    expect(forbidden.statusCode).toBe(403);
    for (const hit of englishWords(visibleText(forbidden.body))) findings.push(`403 — ${hit}`);
    expect(findings).toEqual([]);
  });
});
