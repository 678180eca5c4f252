/**
 * Runs the Candor command a shipped systemd unit starts (docs/deploy/*.service), from the
 * sources: the unit's `ExecStart=… bin/candor.js ARGS` becomes `candor ARGS` in a child
 * process, so a unit naming a command or flag Candor lacks fails the test that uses it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../customers/candor-cli.ts', import.meta.url));

export interface UnitProcess {
  args: string[];
  output(): string;
  stop(): Promise<void>;
}

/** The arguments after `bin/candor.js` in the unit's ExecStart line. */
export function unitArguments(unitFile: string): string[] {
  const text = fs.readFileSync(unitFile, 'utf8');
  const line = /^ExecStart=(.*)$/m.exec(text)?.[1];
  if (!line) throw new Error(`${unitFile} has no ExecStart line`);
  const words = line.trim().split(/\s+/);
  const at = words.findIndex((w) => w.endsWith('/bin/candor.js'));
  if (at === -1) throw new Error(`${unitFile}: ExecStart does not run bin/candor.js: ${line}`);
  return words.slice(at + 1);
}

/**
 * Starts what `unitFile` starts with `env` as its environment file would give it (no other
 * CANDOR_* settings leak in), and resolves once it says it runs: a server's banner, or a
 * worker's `worker … running`.
 */
export async function startUnit(
  unitFile: string,
  env: Record<string, string>,
): Promise<UnitProcess> {
  const args = unitArguments(unitFile);
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_'))),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: string) => {
      output += chunk;
      if (/Candor is running at|^worker \S+ running$/m.test(output)) resolve();
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('error', reject);
    void exited.then(() => reject(new Error(`candor ${args.join(' ')} exited:\n${output}`)));
  });
  return {
    args,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
