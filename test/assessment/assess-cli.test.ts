import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { assessmentSchema } from '../../src/domain/assessment/assessment-facts.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { WEB12_BREACH } from './facts.js';

/** Runs `candor ARGS` with `input` on stdin (no database is touched). */
function candor(args: string[], input: string | null): Promise<CandorRun> {
  return runCandor(args, { dataDir: os.tmpdir() }, { stdin: input ?? '' });
}

describe('candor assess', () => {
  it('prints exactly the assessment shape with --json', async () => {
    const run = await candor(['assess', '--json'], JSON.stringify(WEB12_BREACH));
    // Compared together, so a failure shows what the child said on stderr.
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['severity', 'authority', 'subjects', 'nis2']);
    expect(assessmentSchema.strict().parse(out)).toMatchObject({
      severity: { score: 4, level: 'very-high' },
      authority: { notify: true },
      subjects: { notify: true, publicCommunication: false },
      nis2: { significant: false },
    });
    expect(Object.keys(out.severity as object)).toEqual(['score', 'level', 'explanation']);
    expect(Object.keys(out.subjects as object)).toEqual([
      'notify',
      'reasons',
      'publicCommunication',
    ]);
  });

  it('prints a readable assessment, in Dutch with --lang nl', async () => {
    const en = await candor(['assess'], JSON.stringify(WEB12_BREACH));
    expect({ code: en.code, stderr: en.stderr }).toEqual({ code: 0, stderr: '' });
    expect(en.stdout).toContain('Severity (ENISA): 4 (very high)');
    expect(en.stdout).toContain('Supervisory authority (GDPR Art. 33): notify');
    expect(en.stdout).toContain('Data subjects (GDPR Art. 34): communicate');
    expect(en.stdout).toContain('NIS2 (Art. 23): not significant');
    const nl = await candor(['assess', '--lang', 'nl'], JSON.stringify(WEB12_BREACH));
    expect(nl.stdout).toContain('Ernst (ENISA): 4 (zeer hoog)');
    expect(nl.stdout).toContain('AVG art. 33 lid 1');
  });

  it('names every bad field and exits 65', async () => {
    const run = await candor(
      ['assess', '--json'],
      JSON.stringify({
        personalData: true,
        dataSubjects: -1,
        dataCategories: ['simple', 'gossip'],
        nis2: { serviceType: 'mainframe' },
        colour: 'red',
      }),
    );
    expect(run.code).toBe(65);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error: the facts are invalid');
    expect(run.stderr).toMatch(/ {2}dataSubjects: .*>=0/);
    expect(run.stderr).toMatch(/ {2}dataCategories\.1: Invalid option/);
    expect(run.stderr).toMatch(/ {2}nis2\.serviceType: Invalid option/);
    expect(run.stderr).toMatch(/ {2}\(document\): Unrecognized key: "colour"/);
  });

  it('rejects a document that is not JSON with 65, and no input with 2', async () => {
    const bad = await candor(['assess'], '{"personalData": tru');
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/^error: stdin is not valid JSON/);
    const none = await candor(['assess'], '');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: candor assess');
    const lang = await candor(['assess', '--lang', 'de'], '{}');
    expect(lang.code).toBe(2);
  });

  it('requires personalData', async () => {
    const run = await candor(['assess'], '{}');
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/ {2}personalData: /);
  });
});
