import { describe, expect, it } from 'vitest';
import { BUILTIN_TEMPLATES, findBuiltinTemplate } from './builtin-templates.js';
import { compileNotice, renderNotice } from './notice-renderer.js';
import { analyzeNotice, availableVariablePaths, type NoticeVariables } from './notice-variables.js';
import { sampleNoticeVariables } from './sample-variables.js';

/** A recipient of a case whose affected list has no extra columns, sender with few details. */
function minimalVariables(template: (typeof BUILTIN_TEMPLATES)[number]): NoticeVariables {
  const v = sampleNoticeVariables(template.language);
  v.impact = {};
  v.case.kind = template.kind;
  v.case.detected_at = null;
  v.case.contained_at = null;
  v.organisation = {
    name: 'Voorbeeld Hosting',
    contact_email: 'help@voorbeeld.nl',
    contact_phone: null,
    dpo_email: null,
    website: null,
    security_page_url: null,
  };
  return v;
}

/** What GDPR Art. 34(2) asks of a notice to data subjects, as headings/phrases per language. */
const ART_34 = {
  nl: {
    nature: /## Wat is (er gebeurd|het risico)\?/,
    consequences: /## Wat (kan dit voor u betekenen|kan er gebeuren)\?/,
    measures: /## Wat hebben wij gedaan\?/,
    actions: /## Wat (kunt|moet) u doen\?/,
    contact: /## Vragen\?/,
  },
  en: {
    nature: /## What (happened|is the risk)\?/,
    consequences: /## What (can this mean for you|could happen)\?/,
    measures: /## What have we done\?/,
    actions: /## What (can|should) you do\?/,
    contact: /## Questions\?/,
  },
};

// Flesch reading ease (English) and Flesch–Douma (Dutch), with a vowel-group syllable count.
function readingEase(text: string, language: 'nl' | 'en'): number {
  const clean = text.replace(/https?:\/\/\S+|\S+@\S+/g, 'link').replace(/^[=-]{3,}$/gm, '');
  const sentences = clean
    .split(/[.!?]+\s|\n\n|\n(?=\d+\.|- )/)
    .filter((s) => /[a-z]/i.test(s)).length;
  const words = clean.split(/\s+/).filter((w) => /[a-zà-ÿ]/i.test(w));
  const syllables = words.reduce((n, word) => {
    let w = word.toLowerCase().replace(/[^a-zà-ÿ]/g, '');
    if (language === 'en') w = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
    return n + Math.max(1, w.match(/[aeiouyà-ÿ]+/g)?.length ?? 0);
  }, 0);
  const perSentence = words.length / sentences;
  const perWord = syllables / words.length;
  return language === 'en'
    ? 206.835 - 1.015 * perSentence - 84.6 * perWord
    : 206.835 - 0.93 * perSentence - 77 * perWord;
}

describe('built-in templates', () => {
  it('come in Dutch and English for incidents and advisories', () => {
    expect(BUILTIN_TEMPLATES.map((t) => t.id).sort()).toEqual([
      'advisory-en',
      'advisory-nl',
      'incident-en',
      'incident-nl',
    ]);
    expect(findBuiltinTemplate('advisory', 'nl').id).toBe('advisory-nl');
  });

  for (const template of BUILTIN_TEMPLATES) {
    describe(template.id, () => {
      const compiled = compileNotice(template);

      it('compiles to the fast path and renders a full variable set', () => {
        expect(compiled.fast).toBe(true);
        const v = sampleNoticeVariables(template.language);
        const { subject, html, text } = renderNotice(compiled, v);
        expect(subject).toContain('Voorbeeld Hosting B.V.');
        expect(text).toContain(v.customer.name!);
        expect(text).toContain(v.statements.what_happened!);
        expect(text).toContain(v.personal_url);
        expect(text).toContain('bakkerij-jansen.nl, jansenbrood.nl');
        expect(text).toContain(v.impact['measures'] as string);
        expect(html).toContain(`href="${v.personal_url}"`);
        expect(html).toContain('href="mailto:privacy@voorbeeld-hosting.nl"');
        expect(html).not.toMatch(/\{\{|\{%/);
        expect(text).not.toMatch(/\{\{|\{%|<[a-z]/);
      });

      it('contains what GDPR Art. 34(2) requires', () => {
        const parts = ART_34[template.language];
        for (const [element, pattern] of Object.entries(parts)) {
          expect(template.body, element).toMatch(pattern);
        }
        // Contact point and data protection officer, the personal link, the case itself.
        for (const placeholder of [
          'organisation.contact_email',
          'organisation.dpo_email',
          'personal_url',
          'statements.what_happened',
          'case.reference',
          'customer.name',
        ]) {
          expect(template.body).toContain(`{{ ${placeholder} }}`);
        }
        // Actions are a checklist, then the way to say it is done.
        expect(template.body).toMatch(
          /\n1\. .+\n2\. .+\n3\. .+\n\{% endif %\}\n\n.+\{\{ personal_url \}\}/,
        );
      });

      it('renders for a case without impact columns, without gaps or placeholders left', () => {
        const { text, html } = renderNotice(compiled, minimalVariables(template));
        expect(text).not.toMatch(/ {2}|\s[.,]|^- *$|^\d+\. *$|\(\)/m);
        expect(text).not.toContain('undefined');
        expect(html).not.toMatch(/<(li|p)[^>]*>\s*<\/\1>/);
      });

      it('needs no impact column: every impact.* use is guarded', () => {
        const { subject, body } = template;
        const analysis = analyzeNotice({ subject, body }, availableVariablePaths({}));
        expect(analysis.problems).toEqual([]);
        expect(analysis.unknown).toEqual([]);
        const required = analysis.placeholders.filter((p) => p.required).map((p) => p.path);
        expect(required.every((p) => !p.startsWith('impact.'))).toBe(true);
        expect(required).toEqual(
          expect.arrayContaining(['customer.name', 'personal_url', 'organisation.contact_email']),
        );
      });

      it('reads easily (Flesch ≥ 60 in English, Flesch–Douma ≥ 60 in Dutch)', () => {
        const { text } = renderNotice(compiled, sampleNoticeVariables(template.language));
        const body = text.slice(0, text.lastIndexOf('\n--\n'));
        expect(readingEase(body, template.language)).toBeGreaterThanOrEqual(60);
      });
    });
  }
});
