import { describe, expect, it } from 'vitest';
import {
  AUDIENCE_TEMPLATES,
  BUILTIN_TEMPLATES,
} from '../../src/domain/notices/builtin-templates.js';
import {
  CHIP_LABELS,
  chipChoices,
  fromReadable,
  readableOrNull,
  toReadable,
  UnknownChipError,
} from '../../src/domain/notices/notice-chips.js';

const ALL = [...BUILTIN_TEMPLATES, ...AUDIENCE_TEMPLATES];

describe('readable notice texts (chips)', () => {
  it('turns placeholders and simple conditions into chips in the interface language', () => {
    const source =
      'Dear {{ customer.name }},\n\n{{ statements.what_happened }}\n\n{% if facts.contained %}We closed it.{% else %}We are closing it.{% endif %} Ref {{ case.reference }}.';
    expect(toReadable(source, 'en')).toBe(
      'Dear [[Customer name]],\n\n[[What happened]]\n\n[[if: leak contained]]We closed it.[[else]]We are closing it.[[end]] Ref [[Case reference]].',
    );
    expect(toReadable(source, 'nl')).toBe(
      'Dear [[Naam klant]],\n\n[[Wat er is gebeurd]]\n\n[[als: lek gedicht]]We closed it.[[anders]]We are closing it.[[einde]] Ref [[Kenmerk zaak]].',
    );
    expect(fromReadable(toReadable(source, 'en'))).toBe(source);
    expect(fromReadable(toReadable(source, 'nl'))).toBe(source);
  });

  it('round-trips every built-in template in both interface languages', () => {
    expect(ALL.length).toBeGreaterThan(4);
    for (const t of ALL) {
      for (const ui of ['nl', 'en'] as const) {
        for (const part of [t.subject, t.body]) {
          const readable = toReadable(part, ui);
          expect(fromReadable(readable)).toBe(part);
          expect(readableOrNull(part, ui)).toBe(readable);
        }
        // The common placeholders are chips: no `{{ statements.` is left for people to read.
        expect(toReadable(t.body, ui)).not.toContain('{{ statements.');
        expect(toReadable(t.body, ui)).not.toContain('{% if facts.');
      }
    }
  });

  it('leaves what it cannot show simply as Liquid, and its endif with it', () => {
    const source =
      '{% if impact.data and facts.contained %}A {{ impact.data | join: ", " }}{% endif %} {{ impact.software | default: "x" }} {{ customer.attributes.plan }}{%- if case.reference -%}y{% endif %}';
    const readable = toReadable(source, 'en');
    expect(readable).toBe(
      '{% if impact.data and facts.contained %}A [[Their data involved (list)]]{% endif %} {{ impact.software | default: "x" }} {{ customer.attributes.plan }}{%- if case.reference -%}y{% endif %}',
    );
    expect(fromReadable(readable)).toBe(source);
  });

  it('reads chips typed loosely and in the other language', () => {
    expect(fromReadable('[[ customer NAME ]] [[If: Lek gedicht]]x[[End]]')).toBe(
      '{{ customer.name }} {% if facts.contained %}x{% endif %}',
    );
  });

  it('names an unknown chip with its line and column', () => {
    expect(() => fromReadable('Hello\nDear [[Customer nmae]],')).toThrow(UnknownChipError);
    try {
      fromReadable('Hello\nDear [[Customer nmae]],');
    } catch (error) {
      expect((error as UnknownChipError).problems).toEqual([
        { chip: '[[Customer nmae]]', line: 2, column: 6 },
      ]);
    }
  });

  it('refuses the readable form when a literal [[ would not come back', () => {
    expect(readableOrNull('See [[Customer name]] {{ case.reference }}', 'en')).toBeNull();
    expect(readableOrNull('See [[wiki]]', 'en')).toBeNull();
  });

  it('has labels that name one path each, in both languages', () => {
    const seen = new Map<string, string>();
    for (const [path, labels] of CHIP_LABELS) {
      for (const label of Object.values(labels)) {
        const key = label.toLowerCase();
        expect(seen.get(key) ?? path, `${label} names two paths`).toBe(path);
        seen.set(key, path);
      }
    }
    const en = chipChoices('en');
    expect(en.find((c) => c.path === 'customer.name')?.chip).toBe('[[Customer name]]');
    expect(en.find((c) => c.path === 'facts.contained')?.chip).toBe('[[if: leak contained]]');
    for (const c of en) expect(fromReadable(c.chip)).toContain(c.path);
  });
});
