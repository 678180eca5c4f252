import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LegalClock } from '../../../domain/assessment/legal-clocks.js';
import type { CaseView } from '../../../domain/case.js';
import { recallSteps } from '../../../domain/recall-steps.js';
import type { CaseProgress } from '../../../services/cases/case-progress.service.js';
import { caseOverviewView, type CaseOverviewModel } from './case-overview.view.js';
import type { ViewContext, ViewSession } from './view-context.js';

// A case tab rendered from a hand-built view context: the header, the tab bar, the recall
// tracker with its deadline banner (the case progress the route layer passes), and the forms.

const NOW = Date.parse('2026-11-28T09:00:00Z');
const AWARE = '2026-11-27T09:00:00Z';

const kase: CaseView = {
  id: 1,
  reference: 'INC-2026-007',
  kind: 'incident',
  title: 'Lek in <portal> & API',
  summary: 'Wachtwoorden mogelijk ingezien.',
  state: 'open',
  affectedFilter: null,
  detectedAt: '2026-11-27T08:00:00Z',
  awareAt: AWARE,
  containedAt: null,
  resolvedAt: null,
  frozenAt: null,
  createdBy: 'anna',
  createdAt: '2026-11-27T08:30:00Z',
  updatedAt: '2026-11-27T08:30:00Z',
};

// 24 of the GDPR's 72 hours gone: a running clock, 48 hours left.
const gdpr: LegalClock = {
  kind: 'gdpr-art33',
  article: 'GDPR Art. 33(1)',
  startsAt: AWARE,
  dueAt: '2026-11-30T09:00:00Z',
  state: 'running',
  elapsedRatio: 1 / 3,
  remainingMs: 48 * 3_600_000,
  submittedAt: null,
  late: false,
  provisional: false,
};

function session(locale: 'nl' | 'en'): ViewSession {
  return {
    userId: 1,
    username: 'anna',
    displayName: 'Anna',
    roles: ['responder'],
    locale,
    timeZone: 'Europe/Amsterdam',
    csrfToken: 'tok-<"1">',
  };
}

function view(locale: 'nl' | 'en'): ViewContext {
  const viewer = session(locale);
  const progress: CaseProgress = {
    reference: kase.reference,
    kind: kase.kind,
    state: kase.state,
    awareAt: kase.awareAt,
    clocks: [gdpr],
    // The pure step computation the service also uses, so the tracker shows real states.
    steps: recallSteps(
      {
        kind: 'incident',
        state: 'open',
        awareAt: AWARE,
        decision: null,
        affected: 120,
        notices: [],
        dispatches: [],
        published: false,
        clocks: [gdpr],
        responses: { total: 0, acknowledged: 0, remedied: 0 },
      },
      viewer,
    ),
  };
  return {
    session: viewer,
    workspace: { mailbox: false, defaultLocale: 'nl', pendingCsrfToken: null },
    path: `/app/cases/${kase.reference}`,
    caseProgress: { progress, full: true },
    flash: null,
  };
}

const model: CaseOverviewModel = {
  kase: {
    ...kase,
    events: [
      { id: 1, kind: 'note', at: '2026-11-27T10:00:00Z', text: 'Log <b>gelezen</b>', actor: 'bob' },
    ],
  },
  canWrite: true,
  form: { name: null, values: {}, errors: {} },
};

describe('caseOverviewView', () => {
  // The header counts the time since awareness from the clock: a day, here.
  beforeEach(() => vi.useFakeTimers({ now: NOW, toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('renders the overview tab in Dutch: header, tabs, tracker, deadline and forms', () => {
    const page = caseOverviewView(view('nl'), model).toString();
    // The header: reference, escaped title, time since awareness.
    expect(page).toContain('<span class="case-reference">INC-2026-007</span>');
    expect(page).toContain('<h1>Lek in &lt;portal&gt; &amp; API</h1>');
    expect(page).toMatch(/>1 d 0 u<\/time\s*>\s*sinds bekend/);
    // The tab bar, the overview marked as current.
    expect(page).toMatch(/aria-label="Onderdelen van de zaak"/);
    expect(page).toMatch(/href="\/app\/cases\/INC-2026-007"\s+aria-current="page"\s*>Overzicht</);
    // The tracker and the GDPR deadline from the case progress in the view context.
    expect(page).toContain('aria-label="Stappen van de terugroepactie"');
    expect(page).toContain('recall-steps recall-steps-full');
    expect(page).toContain('AVG: meld bij de AP binnen 2 d');
    // Every form posts the session's token, escaped as an attribute value.
    const tokens = [...page.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]);
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tokens)).toEqual(new Set(['tok-&lt;&quot;1&quot;&gt;']));
    // The timeline escapes what users wrote.
    expect(page).toContain('Log &lt;b&gt;gelezen&lt;/b&gt;');
    expect(page).toContain('Feiten opslaan');
  });

  it('renders the same tab in English for an English user', () => {
    const page = caseOverviewView(view('en'), model).toString();
    expect(page).toContain('aria-label="Parts of the case"');
    expect(page).toContain('aria-label="Steps of the recall"');
    expect(page).toContain('GDPR: notify the AP within 2 d');
    expect(page).toContain('Save facts');
    expect(page).not.toContain('Feiten opslaan');
  });

  it('leaves out the tracker when the context carries no case progress', () => {
    const page = caseOverviewView({ ...view('en'), caseProgress: null }, model).toString();
    expect(page).toContain('<span class="case-reference">INC-2026-007</span>');
    expect(page).not.toContain('recall-tracker');
  });
});
