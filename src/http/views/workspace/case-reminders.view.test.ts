import { describe, expect, it } from 'vitest';
import { reminderEffectTable } from './case-reminders.view.js';

const measure = {
  before: { done: 20, open: 100, days: 3, ratePerDay: 0.066 },
  after: { done: 30, open: 80, days: 3, ratePerDay: 0.125 },
  factor: 1.9,
};

/** The text a sighted reader sees: tags and visually hidden captions left out. */
function visibleText(html: string): string {
  return html
    .replace(/<caption class="visually-hidden">[^]*?<\/caption>/g, '')
    .replace(/<[^>]+>/g, ' ');
}

describe('reminderEffectTable', () => {
  it('titles the effect once on screen; the table caption is for screen readers', () => {
    const html = reminderEffectTable({ locale: 'en', timeZone: 'Europe/Amsterdam' }, [
      {
        sendId: 1,
        ruleId: 1,
        runNo: 1,
        at: '2026-12-06T22:41:00Z',
        recipients: 155,
        windowDays: 3,
        acknowledged: measure,
        completed: null,
        remedyId: null,
      },
    ]).toString();
    expect(html).toContain('<caption class="visually-hidden">');
    expect(visibleText(html).match(/Effect per reminder/g)).toHaveLength(1);
  });
});
