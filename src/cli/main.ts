import { Command, CommanderError } from 'commander';
import { registerAccessCommands } from './access.command.js';
import { registerAuditCommands } from './audit.command.js';
import { reportError } from './cli-context.js';
import { processIo, type CliIo } from './cli-io.js';
import { registerCustomerCommands } from './customers.command.js';
import { registerCaseCommands } from './cases.command.js';
import { registerNoticeCommands } from './notices.command.js';
import { registerDispatchCommands } from './dispatch.command.js';
import { registerBounceCommands } from './bounces.command.js';
import { registerServeCommands } from './serve.command.js';
import { registerAssessCommands } from './assess.command.js';
import { registerReportCommands } from './reports.command.js';
import { registerBackupCommands } from './backup.command.js';
import { registerLetterCommands } from './letters.command.js';
import { registerPostureCommands } from './posture.command.js';
import { registerReminderCommands } from './reminders.command.js';
import { registerRemedyCommands } from './remedies.command.js';
import { registerExportCommands } from './export.command.js';

/** Builds the `candor` command tree. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('candor')
    .description('Candor: tell every affected customer, personally and honestly, and prove it.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    // Before the subcommands are added: they inherit where help and usage errors go.
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    });
  registerServeCommands(program, io);
  registerAccessCommands(program, io);
  registerAuditCommands(program, io);
  registerCustomerCommands(program, io);
  registerCaseCommands(program, io);
  registerNoticeCommands(program, io);
  registerDispatchCommands(program, io);
  registerBounceCommands(program, io);
  registerAssessCommands(program, io);
  registerReportCommands(program, io);
  registerBackupCommands(program, io);
  registerLetterCommands(program, io);
  registerPostureCommands(program, io);
  registerReminderCommands(program, io);
  registerRemedyCommands(program, io);
  registerExportCommands(program, io);
  return program;
}

/**
 * Runs the CLI; resolves to the exit code. `io` is the process's own streams and environment
 * unless a caller (a test) runs commands in its own process with buffers and settings of its own.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return io.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(io, error);
  }
}
