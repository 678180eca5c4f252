import { describe, expect, it } from 'vitest';
import { assessmentFactsSchema } from '../assessment/assessment-facts.js';
import { assess } from '../assessment/notification-decision.js';
import { DEFAULT_ORGANISATION } from '../organisation.js';
import {
  REPORT_FIELDS,
  REPORT_KINDS,
  applyReportEdit,
  reportContentHash,
  reportContentSchema,
} from './report-content.js';
import { draftReport, type DraftInput } from './report-draft.js';
import { AP_SECTIONS, buildSheet, sheetToText } from './report-sheet.js';

const base: DraftInput = {
  case: {
    reference: 'INC-2026-0007',
    title: 'Back-up zoekgeraakt',
    summary: 'Een back-upschijf is tijdens een verhuizing zoekgeraakt.',
    detectedAt: '2026-11-20T08:00:00.000Z',
    awareAt: '2026-11-20T09:30:00.000Z',
    containedAt: null,
    resolvedAt: null,
  },
  events: [],
  facts: null,
  assessment: null,
  decision: null,
  organisation: DEFAULT_ORGANISATION,
  subjectsNotice: null,
  submissions: [],
  timeZone: 'Europe/Amsterdam',
};

describe('drafting', () => {
  it('drafts every field of every kind in both languages, even before any facts', () => {
    for (const kind of REPORT_KINDS) {
      const content = draftReport(kind, base);
      expect(reportContentSchema.parse(content)).toEqual(content);
      for (const f of REPORT_FIELDS[kind]) {
        expect(content.fields[f.key], `${kind}.${f.key}`).toBeDefined();
      }
    }
    const gdpr = draftReport('gdpr-art33', base);
    expect(gdpr.fields.records).toEqual({ nl: 'nog onbekend', en: 'not yet known' });
    expect(gdpr.fields.timeline!.nl).toContain('Vastgesteld (bewust): 20 nov 2026');
    expect(gdpr.fields.timeline!.nl).toContain('10:30 CET');
    expect(gdpr.fields.other!.en).toContain('further information will follow in phases');
  });

  it('turns the facts into the Art. 33(3) texts: encryption, vulnerable persons, public communication', () => {
    const facts = assessmentFactsSchema.parse({
      personalData: true,
      confidentiality: 'exposed',
      dataCategories: ['vulnerable-persons', 'sensitive'],
      dataSubjects: 40,
      encryption: 'state-of-the-art-key-safe',
      backupAvailable: true,
      restoreHours: 4,
    });
    const content = draftReport('gdpr-art33', {
      ...base,
      facts,
      assessment: assess(facts),
      decision: {
        personalData: true,
        authority: { notify: true, source: 'advice', rationale: null },
        subjects: {
          notify: true,
          publicCommunication: true,
          source: 'override',
          rationale: 'Contactgegevens ontbreken voor een deel van de ouders.',
        },
        nis2: { significant: false, source: 'advice', rationale: null },
      },
    });
    expect(content.fields.dataSubjects!.nl).toContain(
      'onder wie kinderen of andere kwetsbare personen',
    );
    expect(content.fields.dataSubjects!.en).toContain('approximately 40');
    expect(content.fields.priorMeasures!.en).toContain(
      'state of the art; the key was not compromised',
    );
    expect(content.fields.priorMeasures!.nl).toContain('herstel duurt ongeveer 4 uur');
    expect(content.fields.consequences!.nl).toContain('discriminatie');
    expect(content.fields.subjectsInformed!.nl).toContain('openbare mededeling');
    expect(content.fields.subjectsInformed!.nl).toContain('Contactgegevens ontbreken');
    expect(content.figures.dataSubjects).toBe(40);
    expect(content.figures.severityLevel).toMatch(/^(low|medium|high|very-high)$/);
  });

  it('hashes the content canonically, and an edit changes one language of one field', () => {
    const content = draftReport('nis2-early-warning', base);
    const reordered = { figures: content.figures, fields: content.fields, kind: content.kind };
    expect(reportContentHash(reordered)).toBe(reportContentHash(content));
    const { content: edited, unknownFields } = applyReportEdit(content, {
      fields: { summary: { en: 'Backup disk lost.' }, nope: { nl: 'x' } },
      figures: { records: 10 },
    });
    expect(unknownFields).toEqual(['nope']);
    expect(edited.fields.summary).toEqual({
      nl: content.fields.summary!.nl,
      en: 'Backup disk lost.',
    });
    expect(edited.figures.records).toBe(10);
    expect(reportContentHash(edited)).not.toBe(reportContentHash(content));
  });
});

describe('punctuation', () => {
  it('never puts a second full stop after a title or name that ends in one', () => {
    const facts = assessmentFactsSchema.parse({
      personalData: true,
      confidentiality: 'exposed',
      dataCategories: ['vulnerable-persons'],
      dataSubjects: 40,
    });
    const input: DraftInput = {
      ...base,
      case: { ...base.case, title: 'Back-up zoekgeraakt bij Voorbeeld Hosting B.V.' },
      facts,
      assessment: assess(facts),
      organisation: { ...DEFAULT_ORGANISATION, name: 'Voorbeeld Hosting B.V.' },
    };
    const doubleStop = /(?<!\.)\.\.(?!\.)/;
    for (const kind of REPORT_KINDS) {
      const content = draftReport(kind, input);
      for (const [key, text] of Object.entries(content.fields)) {
        for (const lang of ['nl', 'en'] as const) {
          expect(text[lang], `${kind}.${key}.${lang}`).not.toMatch(doubleStop);
        }
      }
    }
    const gdpr = draftReport('gdpr-art33', input);
    expect(gdpr.fields.nature!.en).toMatch(/^Back-up zoekgeraakt bij Voorbeeld Hosting B\.V\. Een/);
    expect(gdpr.fields.dataSubjects!.nl).toMatch(/Voorbeeld Hosting B\.V\., onder wie kinderen/);
    const plain = draftReport('gdpr-art33', base);
    expect(plain.fields.nature!.nl).toMatch(/^Back-up zoekgeraakt\. Een/);
  });
});

describe('the AP sheet', () => {
  const ctx = {
    caseReference: 'INC-2026-0007',
    organisationName: 'Voorbeeld B.V.',
    version: 2,
    previousReference: 'M-1',
    submittedAt: null,
    authorityReference: null,
    delayReason: 'Pas na onderzoek bekend.',
    timeZone: 'Europe/Amsterdam',
  };

  it('has every section of the form, marks a supplement and carries the delay reason', () => {
    const sheet = buildSheet(draftReport('gdpr-art33', base), ctx);
    expect(sheet.sections.map((s) => s.title)).toEqual(AP_SECTIONS.map((s) => s.title.nl));
    const text = sheetToText(sheet);
    expect(text).toContain('Soort melding:\n  Aanvulling op een eerdere melding');
    expect(text).toContain('Meldnummer eerdere melding:\n  M-1');
    expect(text).toContain('Reden voor melding na 72 uur:\n  Pas na onderzoek bekend.');
    expect(text).toContain(
      'Aantal gegevensrecords (bij benadering) (GDPR Art. 33(3)(a)):\n  nog onbekend',
    );
  });

  it('gives NIS2 reports one section per field', () => {
    const sheet = buildSheet(draftReport('nis2-final', base), ctx, 'en', 'en');
    expect(sheet.sections.map((s) => s.title)).toEqual(
      REPORT_FIELDS['nis2-final'].map((f) => f.label.en),
    );
  });
});
