import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { generateTotpSecret } from '../../src/domain/totp.js';
import {
  ADDRESS_LIMIT,
  FREE_FAILURES,
  recordSuccess,
  reserveAttempt,
} from '../../src/services/access/login-throttle.service.js';
import { issueRecoveryCodes } from '../../src/services/access/recovery-code.service.js';
import { loginWithPassword } from '../../src/services/access/session.service.js';
import { encryptTotpSecret, verifyCode } from '../../src/services/access/totp.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import { saveTotpSecret } from '../../src/store/totp.repository.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

const A = 'abcdefghjkmnpqrstuvwxyz23456789';

// A burst of concurrent guesses must not slip past the throttle: each attempt is reserved in
// the store before it is evaluated, so at most the policy's number is ever checked.
describe.each(DIALECTS)('throttles under a concurrent burst on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let userId: number;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    const { user } = await createUser(
      systemActor('test'),
      { username: 'ann', roles: ['responder'], password: 'correct horse battery staple' },
      ctx.deps,
    );
    userId = user.id;
    await saveTotpSecret(
      ctx.database.db,
      userId,
      encryptTotpSecret(ctx.deps.secret, generateTotpSecret()),
      new Date().toISOString(),
    );
    await ctx.database.db
      .updateTable('user_totp')
      .set({ confirmed_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .execute();
    await issueRecoveryCodes({ database: ctx.database, secret: ctx.deps.secret }, userId);
  });
  afterAll(() => ctx.close());

  const sessionDeps = () => ({ database: ctx.database, workspace: ctx.config.workspace });
  const totpDeps = () => ({ database: ctx.database, secret: ctx.deps.secret });
  const user = () => ({ id: userId, username: 'ann' });

  it('evaluates at most the free password guesses of a burst of 40', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        loginWithPassword(sessionDeps(), {
          username: 'ann',
          password: `wrong guess ${i}`,
          ip: '203.0.113.10',
          userAgent: 'burst',
        }),
      ),
    );
    const evaluated = outcomes.filter((o) => !o.ok && o.reason === 'invalid');
    expect(evaluated).toHaveLength(FREE_FAILURES);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'throttled')).toHaveLength(
      40 - FREE_FAILURES,
    );
    // Even the right password waits for the lock now.
    const right = await loginWithPassword(sessionDeps(), {
      username: 'ann',
      password: 'correct horse battery staple',
      ip: '203.0.113.10',
      userAgent: 'burst',
    });
    expect(right).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('evaluates at most the free TOTP guesses of a burst of 200', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        verifyCode(
          totpDeps(),
          user(),
          String(100000 + i).padStart(6, '0'),
          '203.0.113.11',
          'login',
        ),
      ),
    );
    expect(outcomes.some((o) => o.ok)).toBe(false);
    const evaluated = outcomes.filter((o) => !o.ok && o.retryAfterMs === 0);
    expect(evaluated).toHaveLength(FREE_FAILURES);
  });

  it('evaluates at most the free recovery-code guesses of a burst of 60', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        verifyCode(
          totpDeps(),
          user(),
          `abcde-${A[i % 31]}${A[Math.floor(i / 31)]}xyz`,
          '203.0.113.12',
          'login',
        ),
      ),
    );
    expect(outcomes.some((o) => o.ok)).toBe(false);
    expect(outcomes.filter((o) => !o.ok && o.retryAfterMs === 0)).toHaveLength(FREE_FAILURES);
  });

  it('lets at most the address limit through when one address sprays many accounts', async () => {
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: ADDRESS_LIMIT + 50 }, (_, i) =>
        reserveAttempt(
          ctx.database,
          { scope: 'password', account: `spray${i}`, ip: '192.0.2.90' },
          now,
        ),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(ADDRESS_LIMIT);
    const blocked = results.filter((r) => !r.allowed);
    expect(blocked).toHaveLength(50);
    for (const r of blocked) expect(r.allowed === false && r.retryAfterMs).toBeGreaterThan(0);
  });

  it('does not count successes against the address', async () => {
    const now = Date.now();
    for (let i = 0; i < ADDRESS_LIMIT + 20; i++) {
      const subject = { scope: 'password' as const, account: `office${i}`, ip: '192.0.2.91' };
      expect((await reserveAttempt(ctx.database, subject, now)).allowed).toBe(true);
      await recordSuccess(ctx.database, subject);
    }
  });
});
