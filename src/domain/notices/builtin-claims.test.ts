import { describe, expect, it } from 'vitest';
import type { Language } from '../language.js';
import { BUILTIN_TEMPLATES } from './builtin-templates.js';
import { CLAIM_FACTS, NO_FACTS, type ClaimFact } from './case-facts.js';
import { checkClaims, findClaims } from './claims.js';
import { expandStatementBlocks } from './notice-snapshot.js';
import { compileNotice, renderNotice } from './notice-renderer.js';
import type { NoticeVariables } from './notice-variables.js';
import { AUDIENCE_TEMPLATES } from './public-templates.js';
import { sampleNoticeVariables } from './sample-variables.js';

/** Variables of a case that records exactly the facts given (and, for containment, its date). */
function caseWith(language: Language, facts: ClaimFact[]): NoticeVariables {
  const v = sampleNoticeVariables(language);
  v.facts = { ...NO_FACTS };
  for (const fact of facts) v.facts[fact] = true;
  v.case.contained_at = facts.includes('contained') ? v.case.aware_at : null;
  v.case.resolved_at = facts.includes('resolved') ? v.case.aware_at : null;
  // Statements without claims of their own: what is claimed here comes from the template.
  v.statements = {
    what_happened:
      language === 'nl' ? 'Een aanvaller kwam binnen.' : 'An attacker got into our systems.',
  };
  return v;
}

function render(
  template: { language: Language; subject: string; body: string },
  v: NoticeVariables,
) {
  const compiled = compileNotice({
    language: template.language,
    subject: template.subject,
    body: expandStatementBlocks(template.body, v.statements),
  });
  const out = renderNotice(compiled, v);
  return `${out.subject}\n\n${out.text}`;
}

const ALL = [...BUILTIN_TEMPLATES, ...AUDIENCE_TEMPLATES];

/**
 * Claims follow facts: for each built-in template and each claim, a case with and without the
 * fact. The rendered text never claims a fact the case does not record, never denies one it
 * records, and states the fact when the case records it and the template speaks of it.
 */
describe('built-in templates claim only what the case records', () => {
  for (const template of ALL) {
    describe(template.id, () => {
      it('makes no claim without the facts', () => {
        const text = render(template, caseWith(template.language, []));
        expect(checkClaims(text, template.language, NO_FACTS)).toEqual([]);
      });

      for (const fact of CLAIM_FACTS) {
        it(`with and without "${fact}"`, () => {
          const without = render(template, caseWith(template.language, []));
          const withFact = caseWith(template.language, [fact]);
          const text = render(template, withFact);
          expect(checkClaims(text, template.language, withFact.facts)).toEqual([]);
          const asserted = (t: string) =>
            findClaims(t, template.language).some(
              (c) => c.fact === fact && c.polarity === 'asserts',
            );
          expect(asserted(without)).toBe(false);
          // Where a template guards a sentence with the fact, the sentence is there with it.
          // ("resolved" only switches which advisory text shows; it is not claimed.)
          const speaksOf =
            fact !== 'resolved' &&
            (template.body.includes(`facts.${fact}`) ||
              (fact === 'contained' && template.body.includes('case.contained_at')));
          if (speaksOf) expect(asserted(text)).toBe(true);
        });
      }
    });
  }

  it('flags a hand-written claim the case does not record, in either language', () => {
    expect(
      checkClaims('Wij hebben de Autoriteit Persoonsgegevens ingelicht.', 'nl', NO_FACTS).map(
        (m) => m.fact,
      ),
    ).toEqual(['authority_notified']);
    expect(checkClaims('We have closed the leak.', 'en', NO_FACTS)[0]!.message).toMatch(
      /says "We have closed the leak" but/,
    );
    expect(checkClaims('We have closed the leak.', 'en', { ...NO_FACTS, contained: true })).toEqual(
      [],
    );
  });
});
