import type { Command } from 'commander';
import { ROLES, roleSchema, systemActor } from '../domain/access.js';
import { verifyAuditChain, listAudit } from '../services/audit.service.js';
import { createApiToken, createUser, listUsers } from '../services/user.service.js';
import { CliExit, printJson, readStdin, withContext } from './cli-context.js';

/** `candor users …`, `candor tokens …` and `candor audit …`. */
export function registerAccessCommands(program: Command): void {
  const users = program.command('users').description('people who use Candor');
  users
    .command('add')
    .description('add a user; the password is read from stdin, or generated and printed once')
    .argument('<name>', 'username')
    .requiredOption('--role <role...>', `one or more of: ${ROLES.join(', ')}`)
    .option('--display-name <name>', 'full name shown in the UI and audit views')
    .option('--language <lang>', 'nl or en')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        name: string,
        opts: { role: string[]; displayName?: string; language?: string; json?: boolean },
      ) => {
        const roles = opts.role.flatMap((r) => r.split(','));
        for (const r of roles) {
          if (!roleSchema.safeParse(r).success) {
            throw new CliExit(`error: unknown role "${r}" (roles: ${ROLES.join(', ')})`, 2);
          }
        }
        const stdin = (await readStdin()).replace(/\r?\n$/, '');
        const result = await withContext((ctx) =>
          createUser(
            systemActor(),
            {
              username: name,
              displayName: opts.displayName,
              roles: roles as (typeof ROLES)[number][],
              password: stdin === '' ? undefined : stdin,
              language: opts.language as 'nl' | 'en' | undefined,
            },
            ctx.deps,
          ),
        );
        if (opts.json) return printJson(result);
        process.stdout.write(
          `Created user ${result.user.username} (${result.user.roles.join(', ')}).\n`,
        );
        if (result.generatedPassword) {
          process.stdout.write(
            `Password (shown once, store it now): ${result.generatedPassword}\n`,
          );
        }
      },
    );
  users
    .command('list')
    .description('list users')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withContext((ctx) => listUsers(systemActor(), ctx.deps));
      if (opts.json) return printJson(list);
      for (const u of list) {
        process.stdout.write(
          `${u.username}\t${u.roles.join(',')}\t${u.disabled ? 'disabled' : 'active'}\n`,
        );
      }
    });

  users
    .command('totp-reset')
    .description("remove a user's TOTP second factor (lost phone) and end their sessions")
    .argument('<name>', 'username')
    .action(async (name: string) => {
      const { resetTotp } = await import('../services/totp.service.js');
      const removed = await withContext((ctx) =>
        resetTotp(systemActor(), name, { database: ctx.database, secret: ctx.deps.secret }),
      );
      process.stdout.write(
        removed
          ? `Removed the second factor of ${name}; their sessions ended. They enrol again at the next login if required.\n`
          : `${name} had no second factor; their sessions ended.\n`,
      );
    });

  const tokens = program.command('tokens').description('personal API tokens');
  tokens
    .command('create')
    .description('create an API token for a user; printed once, stored only as a hash')
    .argument('<name>', 'username')
    .option('--label <label>', 'what the token is for', 'cli')
    .option('--expires-in-days <days>', 'let the token expire')
    .option('--json', 'print as JSON')
    .action(
      async (name: string, opts: { label: string; expiresInDays?: string; json?: boolean }) => {
        const days = opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays);
        if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
          throw new CliExit('error: --expires-in-days must be a whole number of days', 2);
        }
        const result = await withContext((ctx) =>
          createApiToken(systemActor(), name, { label: opts.label, expiresInDays: days }, ctx.deps),
        );
        if (opts.json) return printJson(result);
        process.stdout.write(`${result.token}\n`);
        process.stderr.write(
          'This token is shown once. Use it as: Authorization: Bearer <token>\n',
        );
      },
    );

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'recompute the hash chain; exits 1 and names every altered, removed or reordered entry',
    )
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withContext((ctx) => verifyAuditChain(systemActor(), ctx.database));
      if (opts.json) printJson(result);
      else if (result.ok) {
        process.stdout.write(
          `Audit chain intact: ${result.entries} entries, head ${result.head.seq} ${result.head.hash}\n`,
        );
      } else {
        process.stdout.write(`Audit chain BROKEN (${result.findings.length} findings):\n`);
        for (const f of result.findings) process.stdout.write(`  ${f.problem}: ${f.message}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    });
  audit
    .command('list')
    .description('the latest audit entries')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = Number.parseInt(opts.limit, 10);
      const entries = await withContext((ctx) =>
        listAudit(systemActor(), ctx.database, { limit: Number.isInteger(limit) ? limit : 50 }),
      );
      if (opts.json) return printJson(entries);
      for (const e of entries) {
        process.stdout.write(
          `${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.objectType}${e.objectId ? `:${e.objectId}` : ''}\t${e.source}\n`,
        );
      }
    });
}
