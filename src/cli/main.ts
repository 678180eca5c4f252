import { Command, CommanderError } from 'commander';
import { registerAccessCommands } from './access.command.js';
import { registerAuditCommands } from './audit.command.js';
import { reportError } from './cli-context.js';
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
export function buildProgram(): Command {
  const program = new Command('candor')
    .description('Candor: tell every affected customer, personally and honestly, and prove it.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommands(program);
  registerAccessCommands(program);
  registerAuditCommands(program);
  registerCustomerCommands(program);
  registerCaseCommands(program);
  registerNoticeCommands(program);
  registerDispatchCommands(program);
  registerBounceCommands(program);
  registerAssessCommands(program);
  registerReportCommands(program);
  registerBackupCommands(program);
  registerLetterCommands(program);
  registerPostureCommands(program);
  registerReminderCommands(program);
  registerRemedyCommands(program);
  registerExportCommands(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error);
  }
}
