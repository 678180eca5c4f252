import { describe, expect, it } from 'vitest';
import { formNonce, isFormNonce } from './form-nonce.js';
import { MissLimiter } from './miss-limiter.js';

describe('MissLimiter', () => {
  it('blocks a client at the limit until its window ends, and counts clients apart', () => {
    let now = 1_000_000;
    const limiter = new MissLimiter({ misses: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a')).toBe(0);
      limiter.recordMiss('a');
    }
    expect(limiter.retryAfter('a')).toBe(60);
    expect(limiter.retryAfter('b')).toBe(0);
    now += 59_500;
    expect(limiter.retryAfter('a')).toBe(1);
    now += 500;
    expect(limiter.retryAfter('a')).toBe(0);
    limiter.recordMiss('a');
    expect(limiter.retryAfter('a')).toBe(0);
  });

  it('remembers a bounded number of clients, forgetting expired then oldest ones', () => {
    let now = 0;
    const limiter = new MissLimiter({ misses: 1, windowMs: 1000, maxClients: 2 }, () => now);
    limiter.recordMiss('a');
    now = 10;
    limiter.recordMiss('b');
    limiter.recordMiss('c');
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.retryAfter('b')).toBe(1);
    expect(limiter.retryAfter('c')).toBe(1);
  });
});

describe('form nonce', () => {
  const secret = Buffer.from('k'.repeat(32));
  it('is bound to the token and the purpose', () => {
    const nonce = formNonce(secret, 'aa', 'acknowledge');
    expect(isFormNonce(secret, 'aa', 'acknowledge', nonce)).toBe(true);
    expect(isFormNonce(secret, 'aa', 'done', nonce)).toBe(false);
    expect(isFormNonce(secret, 'ab', 'acknowledge', nonce)).toBe(false);
    expect(isFormNonce(Buffer.from('x'.repeat(32)), 'aa', 'acknowledge', nonce)).toBe(false);
    expect(isFormNonce(secret, 'aa', 'acknowledge', undefined)).toBe(false);
    expect(isFormNonce(secret, 'aa', 'acknowledge', ['x'])).toBe(false);
  });
});
