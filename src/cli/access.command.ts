import type { Command } from 'commander';
import { ROLES, roleSchema, systemActor, tokenScopeSchema } from '../domain/access.js';
import { parseTokenLifetime } from '../domain/user.js';
import { listApiTokens, revokeApiToken } from '../services/access/api-token.service.js';
import { createApiToken, createUser, listUsers } from '../services/access/user.service.js';
import { CliExit, printJson, readStdin, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** `candor users …` and `candor tokens …` (`candor audit …` is in audit.command.ts). */
export function registerAccessCommands(program: Command, io: CliIo): void {
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
        const stdin = (await readStdin(io)).replace(/\r?\n$/, '');
        const result = await withContext(io, (ctx) =>
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
        if (opts.json) return printJson(io, result);
        io.stdout.write(
          `Created user ${result.user.username} (${result.user.roles.join(', ')}).\n`,
        );
        if (result.generatedPassword) {
          io.stdout.write(`Password (shown once, store it now): ${result.generatedPassword}\n`);
        }
      },
    );
  users
    .command('list')
    .description('list users')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withContext(io, (ctx) => listUsers(systemActor(), ctx.deps));
      if (opts.json) return printJson(io, list);
      for (const u of list) {
        io.stdout.write(
          `${u.username}\t${u.roles.join(',')}\t${u.disabled ? 'disabled' : 'active'}\n`,
        );
      }
    });

  users
    .command('totp-reset')
    .description(
      "remove a user's TOTP second factor (lost phone), end their sessions and revoke their API tokens",
    )
    .argument('<name>', 'username')
    .option('--keep-tokens', 'leave their API tokens working')
    .action(async (name: string, opts: { keepTokens?: boolean }) => {
      const { resetTotp } = await import('../services/access/totp.service.js');
      const removed = await withContext(io, (ctx) =>
        resetTotp(
          systemActor(),
          name,
          { database: ctx.database, secret: ctx.deps.secret },
          { keepTokens: opts.keepTokens === true },
        ),
      );
      const tokens = opts.keepTokens ? '' : ' Their API tokens were revoked.';
      io.stdout.write(
        removed
          ? `Removed the second factor of ${name}; their sessions ended.${tokens} They enrol again at the next login if required.\n`
          : `${name} had no second factor; their sessions ended.${tokens}\n`,
      );
    });

  const tokens = program.command('tokens').description('personal API tokens');
  tokens
    .command('create')
    .description('create an API token for a user; printed once, stored only as a hash')
    .argument('<name>', 'username')
    .option('--label <label>', 'what the token is for', 'cli')
    .option('--expires <days>', 'let the token expire after this many days, like 90d')
    .option('--expires-in-days <days>', 'the same as --expires (older spelling)')
    .option(
      '--scope <scope>',
      "limit the token: portal (reads a customer's open notices, nothing else)",
    )
    .option('--json', 'print as JSON')
    .action(
      async (
        name: string,
        opts: {
          label: string;
          expires?: string;
          expiresInDays?: string;
          scope?: string;
          json?: boolean;
        },
      ) => {
        const scope = opts.scope === undefined ? undefined : tokenScopeSchema.safeParse(opts.scope);
        if (scope && !scope.success)
          throw new CliExit(
            `error: --scope must be one of ${tokenScopeSchema.options.join(', ')} (got "${opts.scope}")`,
            2,
          );
        const lifetime = opts.expires ?? opts.expiresInDays;
        let days: number | undefined;
        try {
          days = lifetime === undefined ? undefined : parseTokenLifetime(lifetime);
        } catch (error) {
          throw new CliExit(`error: ${(error as Error).message}`, 2);
        }
        const result = await withContext(io, (ctx) =>
          createApiToken(
            systemActor(),
            name,
            { label: opts.label, expiresInDays: days, scope: scope?.data },
            ctx.deps,
          ),
        );
        if (opts.json) return printJson(io, result);
        io.stdout.write(`${result.token}\n`);
        io.stderr.write(
          `This token is shown once${result.view.expiresAt ? ` and expires ${result.view.expiresAt}` : ''}. Use it as: Authorization: Bearer <token>\n`,
        );
      },
    );
  tokens
    .command('list')
    .description("list API tokens (everyone's, or one user's): never the token itself")
    .argument('[name]', 'username')
    .option('--json', 'print as JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }) => {
      const list = await withContext(io, (ctx) => listApiTokens(systemActor(), name, ctx.deps));
      if (opts.json) return printJson(io, list);
      io.stdout.write('id\tuser\tlabel\tprefix\tcreated\tlast used\texpires\tstate\tscope\n');
      const now = Date.now();
      for (const v of list) {
        const state = v.revokedAt
          ? `revoked ${v.revokedAt}`
          : v.expiresAt && Date.parse(v.expiresAt) <= now
            ? 'expired'
            : 'active';
        io.stdout.write(
          `${v.id}\t${v.username}\t${v.label}\t${v.prefix}\t${v.createdAt}\t${v.lastUsedAt ?? 'never'}\t${v.expiresAt ?? 'never'}\t${state}\t${v.scope ?? 'all'}\n`,
        );
      }
    });
  tokens
    .command('revoke')
    .description('revoke an API token by its id (see tokens list); refused at once afterwards')
    .argument('<id>', 'token id')
    .action(async (id: string) => {
      const tokenId = Number(id);
      if (!Number.isInteger(tokenId) || tokenId < 1) {
        throw new CliExit(`error: the token id must be a whole number (got "${id}")`, 2);
      }
      const result = await withContext(io, (ctx) =>
        revokeApiToken(systemActor(), tokenId, ctx.deps),
      );
      io.stdout.write(
        result.revoked
          ? `Revoked token ${tokenId} (${result.view.label}, ${result.view.prefix}…) of ${result.view.username}.\n`
          : `Token ${tokenId} was already revoked.\n`,
      );
    });
}
