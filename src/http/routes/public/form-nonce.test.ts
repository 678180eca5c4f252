import { describe, expect, it } from 'vitest';
import { formNonce, isFormNonce } from './form-nonce.js';

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
