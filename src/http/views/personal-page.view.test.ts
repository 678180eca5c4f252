import { describe, expect, it } from 'vitest';
import { DEFAULT_ORGANISATION } from '../../domain/organisation.js';
import type { PersonalPageModel } from '../../services/recipients/personal-page.service.js';
import { renderPersonalPage, type PersonalPageForms } from './personal-page.view.js';

const forms: PersonalPageForms = {
  acknowledge: { action: '/n/tok/acknowledge', nonce: 'a' },
  done: { action: '/n/tok/done', nonce: 'd' },
};

function model(patch: Partial<PersonalPageModel> = {}): PersonalPageModel {
  return {
    language: 'en',
    recipient: { externalId: 'K-1', name: 'Amelia', acknowledgedAt: null, remediedAt: null },
    case: { reference: 'INC-2026-0001', kind: 'advisory' },
    notice: null,
    impact: { version: '2.1' },
    organisation: DEFAULT_ORGANISATION,
    headline: 'Update the Forms plugin before 14 December',
    statements: {
      what_happened:
        'We found a flaw in the Forms plugin. Attackers can use it to read form entries. We do not know of any abuse. The maker has fixed it.\n\nMore detail follows.',
      what_we_did: '# Our side\n\nWe blocked the known attack on our servers.',
      what_it_means: 'Until you update, someone could read what visitors send you.',
      what_you_should_do: [
        '1. Log in to your dashboard at [our site](https://example.com/login).',
        '2. Click **Update** next to Forms. <script>alert(1)</script>',
        '3. Check [this](javascript:alert(1)) and [mail us](mailto:help@example.com).',
      ].join('\n'),
      contact: 'Call us on 020 123 4567.',
    },
    referenceCode: 'K7Q4-M2XP-9ABC',
    sentAt: '2026-12-07T14:05:00.000Z',
    timeZone: 'Europe/London',
    ...patch,
  };
}

const flat = (page: string) => page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');

describe('renderPersonalPage', () => {
  const page = flat(renderPersonalPage(model(), forms));

  it('sums up in three lines: headline, two sentences of what happened, the first step', () => {
    expect(page).toContain('<h1 id="title">Update the Forms plugin before 14 December</h1>');
    expect(page).toContain(
      '<p class="lead">We found a flaw in the Forms plugin. Attackers can use it to read form entries.</p>',
    );
    expect(page).toContain(
      '<strong>What you should do:</strong> Log in to your dashboard at our site. All 3 steps are below.</p>',
    );
  });

  it('renders the statements as sections, from Markdown, safely', () => {
    expect(page).toContain('<h2 id="happened">What happened</h2><p>We found a flaw');
    expect(page).toContain('<h2 id="did">What we have done</h2><h3>Our side</h3>');
    expect(page).toContain('Until you update, someone could read what visitors send you.');
    expect(page).toContain('<a href="https://example.com/login">our site</a>');
    expect(page).toContain('<a href="mailto:help@example.com">mail us</a>');
    expect(page).not.toContain('href="javascript:');
    expect(page).toContain('[this](javascript:alert(1))');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The steps as written: a numbered list, nothing to tick.
    expect(page).toMatch(/<h2 id="todo-heading">What you should do<\/h2><ol><li>Log in/);
    expect(page).not.toContain('checkbox');
    expect(page).toContain('<p>Call us on 020 123 4567.</p>');
  });

  it('names the zone of every time and shows the notice code twice', () => {
    expect(page).toContain(
      'Sent on <time datetime="2026-12-07T14:05:00.000Z">7 December 2026 at 14:05 GMT</time>',
    );
    expect(page.match(/K7Q4-M2XP-9ABC/g)).toHaveLength(2);
    const done = flat(
      renderPersonalPage(
        model({
          language: 'nl',
          timeZone: 'Europe/Amsterdam',
          recipient: {
            externalId: 'K-1',
            name: 'Amelia',
            acknowledgedAt: '2026-12-07T14:05:00.000Z',
            remediedAt: '2026-12-08T09:00:00.000Z',
          },
        }),
        forms,
      ),
    );
    expect(done).toContain(
      '7 december 2026 om 15:05 CET</time> laten weten dat u dit hebt gelezen',
    );
    expect(done).toContain(
      '8 december 2026 om 10:00 CET</time> laten weten dat u alles hebt gedaan',
    );
    expect(done).not.toContain('<button');
  });

  it('leaves out what it does not have: no code before a mail went out, no repeated summary', () => {
    const bare = flat(
      renderPersonalPage(
        model({
          statements: { what_happened: 'One short sentence.' },
          referenceCode: null,
          sentAt: null,
        }),
        forms,
      ),
    );
    expect(bare).not.toContain('class="code"');
    expect(bare).not.toContain('/security/verify');
    expect(bare).not.toContain('id="happened"');
    expect(bare).toContain('<p class="lead">One short sentence.</p>');
    expect(bare).toContain('<strong>What you should do:</strong> Read below what this means');
  });
});
