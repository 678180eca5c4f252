import { describe, expect, it } from 'vitest';
import { claimSentences } from './claim-sentences.js';

describe('claimSentences', () => {
  it('splits a paragraph into sentences at full stops, question and exclamation marks', () => {
    expect(claimSentences('We found the leak. Did we close it? Yes! We did.')).toEqual([
      'We found the leak.',
      'Did we close it?',
      'Yes!',
      'We did.',
    ]);
  });

  it('does not split on abbreviations, dotted company forms or initials', () => {
    expect(
      claimSentences(
        'Acme B.V. heeft o.a. de AP ingelicht, bijv. per brief. Support e.g. by phone is open. ' +
          'Mail J. Jansen of dhr. De Vries. Acme N.V. We closed the leak.',
      ),
    ).toEqual([
      'Acme B.V. heeft o.a. de AP ingelicht, bijv. per brief.',
      'Support e.g. by phone is open.',
      'Mail J. Jansen of dhr. De Vries.',
      'Acme N.V. We closed the leak.',
    ]);
  });

  it('ends a Dutch sentence on "u." and after a number', () => {
    expect(claimSentences('Dit geldt ook voor u. Het gaat om versie 2. Werk bij.')).toEqual([
      'Dit geldt ook voor u.',
      'Het gaat om versie 2.',
      'Werk bij.',
    ]);
  });

  it('keeps a lower-case continuation after a full stop in the sentence', () => {
    expect(claimSentences('We closed approx. ten ports. Done.')).toEqual([
      'We closed approx. ten ports.',
      'Done.',
    ]);
  });

  it('strips headings, lists, quotes, emphasis, code marks and links to plain sentences', () => {
    const markdown = [
      '# What **have** we done?',
      '',
      '- We have *closed* the [leak](https://example.nl/a.b).',
      '- We told the `AP`',
      '1. Reset your password at <https://example.nl/reset>.',
      '',
      '> _Quoted_ text.',
      '',
      'A paragraph that',
      'runs over two lines. ![Logo](x.png) ~~Gone~~ [ref][1]',
      '',
      '[1]: https://example.nl',
    ].join('\n');
    expect(claimSentences(markdown)).toEqual([
      'What have we done?',
      'We have closed the leak.',
      'We told the AP',
      'Reset your password at https://example.nl/reset.',
      'Quoted text.',
      'A paragraph that runs over two lines.',
      'Logo Gone ref',
    ]);
  });

  it('keeps snake_case placeholders but drops underscore emphasis', () => {
    expect(claimSentences('Op {{ case.contained_at }} is het _lek_ gedicht.')).toEqual([
      'Op {{ case.contained_at }} is het lek gedicht.',
    ]);
  });

  it('skips fenced code, rules and container markers; splits table cells', () => {
    const markdown = [
      '```',
      'We have closed the leak.',
      '```',
      '---',
      ':::embargo until=resolved',
      'Hidden until resolved.',
      ':::',
      '| Step | Status |',
      '|---|---|',
      '| Containment | Done |',
    ].join('\n');
    expect(claimSentences(markdown)).toEqual([
      'Hidden until resolved.',
      'Step',
      'Status',
      'Containment',
      'Done',
    ]);
  });

  it('treats a Liquid tag as a boundary, so both branches of an if are separate sentences', () => {
    expect(
      claimSentences(
        '- {% if case.contained_at %}We hebben het lek gedicht.{% else %}We werken eraan om het lek te dichten.{% endif %}',
      ),
    ).toEqual(['We hebben het lek gedicht.', 'We werken eraan om het lek te dichten.']);
  });

  it('drops fragments without letters and handles CRLF line ends', () => {
    expect(claimSentences('Mail us{% if x %} or call{% endif %}.\r\n\r\nThanks.\r\n')).toEqual([
      'Mail us',
      'or call',
      'Thanks.',
    ]);
  });

  it('stays linear on an unclosed Liquid tag and a text without any punctuation', () => {
    const text = '{% '.repeat(20_000) + 'word '.repeat(20_000);
    const started = performance.now();
    expect(claimSentences(text)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
