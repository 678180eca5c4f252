import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { backupDatabase, restoreDatabase } from '../services/operations/backup.service.js';
import type { CliIo } from './cli-io.js';

/** `candor backup FILE` and `candor restore FILE` (SQLite; PostgreSQL gets pg_dump advice). */
export function registerBackupCommands(program: Command, io: CliIo): void {
  program
    .command('backup')
    .description('write a consistent copy of the SQLite database to FILE, also while serving')
    .argument('<file>', 'where to write the backup')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, opts: { force?: boolean }) => {
      const summary = await backupDatabase(loadConfig(io.env).database, file, opts);
      const c = summary.report.counts;
      io.stdout.write(
        `Backed up to ${summary.file} (${summary.bytes.toLocaleString('en')} bytes, migration ${summary.report.latestMigration ?? 'none'}` +
          (c
            ? `, ${c.cases} cases, ${c.deliveries} deliveries, ${c.auditEvents} audit entries`
            : '') +
          ')\n',
      );
    });

  program
    .command('restore')
    .description('replace the SQLite database with a backup (stop servers and workers first)')
    .argument('<file>', 'a file written by candor backup')
    .option('--force', 'replace an existing database')
    .action((file: string, opts: { force?: boolean }) => {
      const summary = restoreDatabase(loadConfig(io.env).database, file, opts);
      const c = summary.report.counts;
      io.stdout.write(
        `Restored ${summary.target} from ${file} (migration ${summary.report.latestMigration ?? 'none'}` +
          (c ? `, ${c.cases} cases, ${c.auditEvents} audit entries` : '') +
          ')\n' +
          (summary.pendingMigrations > 0
            ? `${summary.pendingMigrations} newer migrations will be applied by candor migrate (or on start).\n`
            : '') +
          'Check it with: candor audit verify\n',
      );
    });
}
