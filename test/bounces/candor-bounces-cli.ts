/**
 * Runs the CLI from the TypeScript sources, as test/customers/candor-cli.ts does, with
 * `candor bounces` added when src/cli/main.ts does not register it (yet):
 * `node --import tsx test/bounces/candor-bounces-cli.ts bounces import FILE`.
 */
import { CommanderError } from 'commander';
import { registerBounceCommands } from '../../src/cli/bounces.command.js';
import { reportError } from '../../src/cli/cli-context.js';
import { buildProgram } from '../../src/cli/main.js';

const program = buildProgram();
if (!program.commands.some((c) => c.name() === 'bounces')) registerBounceCommands(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  process.exitCode =
    error instanceof CommanderError ? (error.exitCode === 0 ? 0 : 2) : reportError(error);
}
