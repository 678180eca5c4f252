import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = path.join(ROOT, 'test/customers/candor-cli.ts');
const TSX = import.meta.resolve('tsx');

/** The README's "Using it" recipe as shell commands, continuation lines joined. */
function recipe(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('```sh\n', readme.indexOf('## Using it')) + 6;
  const block = readme.slice(start, readme.indexOf('```\n', start));
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/**
 * The README promises its recipe runs as written on a fresh data dir, line by line. So it is
 * run here exactly so, in a shell, with `npx candor` meaning the CLI from these sources and
 * none of the test process's CANDOR_* settings (no relay: the embedded catcher takes the mail).
 */
describe('the README recipe', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-readme-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs command by command on a fresh data dir and sends the notice', () => {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_'))),
      CANDOR_DATA_DIR: path.join(dir, 'data'),
    };
    const lines = recipe();
    expect(lines.length).toBeGreaterThan(15);
    const outputs: string[] = [];
    for (const line of lines) {
      const command = line.replaceAll('npx candor', `node --import ${TSX} ${ENTRY}`);
      const run = spawnSync('bash', ['-c', command], {
        cwd: dir,
        env,
        input: '',
        encoding: 'utf8',
        timeout: 120_000,
      });
      const output = `${run.stdout}${run.stderr}`;
      // A failing line names itself and what it printed.
      expect({ line, status: run.status, output }).toMatchObject({ line, status: 0 });
      expect(output, line).not.toMatch(/error|warning|undefined|\[object/i);
      outputs.push(output);
    }
    const all = outputs.join('\n');
    expect(all).toMatch(/Wrote 1,000 synthetic customers/);
    expect(all).toMatch(/inserted\s+1,000/);
    expect(all).toMatch(/dispatch 1 completed: 2 sent, 0 to go/);
    expect(all).toMatch(/embedded mail catcher/);
    // The mail is kept where the workspace's mailbox reads it.
    const mails = fs
      .readdirSync(path.join(dir, 'data', 'mailbox'))
      .filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(2);
    expect(fs.readFileSync(path.join(dir, 'register.csv'), 'utf8')).toMatch(/INC-2026-0001/);
  }, 300_000);

  it('says at creation which texts a customer notice still lacks, and how to add them', () => {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_'))),
      CANDOR_DATA_DIR: path.join(dir, 'gaps'),
    };
    const candor = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { env, encoding: 'utf8' });
    expect(candor('migrate').status).toBe(0);
    const created = candor(
      'cases',
      'create',
      '--kind',
      'incident',
      '--title',
      'Lek',
      '--summary',
      'Een aanvaller heeft de gegevens van klanten gekopieerd.',
    );
    expect(created.status).toBe(0);
    expect(created.stderr).toMatch(/needs 'what happened' in English/);
    expect(created.stderr).toMatch(
      /candor cases update INC-\d{4}-0001 --statement what_happened\.en=/,
    );

    const ref = /Opened (INC-\d{4}-0001)/.exec(created.stderr)![1]!;
    const updated = candor(
      'cases',
      'update',
      ref,
      '--statement',
      'what_happened.en=An attacker copied customer data.',
    );
    expect(updated.status).toBe(0);
    expect(updated.stderr).not.toMatch(/needs/);
    const half = candor(
      'cases',
      'update',
      ref,
      '--statement',
      'what_we_did.nl=Wij hebben alle wachtwoorden vernieuwd.',
    );
    expect(half.stderr).toMatch(/needs 'what we have done' in English/);
  }, 60_000);
});
