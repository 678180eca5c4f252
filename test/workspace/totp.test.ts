import { describe, expect, it } from 'vitest';
import { Secret, URI } from 'otpauth';
import {
  generateTotpSecret,
  matchTotp,
  otpauthUri,
  totpCodeAtStep,
  totpStep,
} from '../../src/domain/totp.js';
import { decryptTotpSecret, encryptTotpSecret } from '../../src/services/access/totp.service.js';

// RFC 6238 appendix B, SHA-1 rows: the seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238, SHA-1)', () => {
  it.each(VECTORS)('matches the RFC test vector at T=%i', (seconds, expected) => {
    const secret = new Secret({ buffer: new Uint8Array(SEED).buffer }).base32;
    expect(totpCodeAtStep(secret, totpStep(seconds * 1000), 8)).toBe(expected);
    expect(totpCodeAtStep(secret, totpStep(seconds * 1000))).toBe(expected.slice(2));
  });

  it('makes 160-bit base32 secrets, a new one each time', () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(a);
  });

  it('accepts the codes of the previous, current and next step, each only after the last used', () => {
    const secret = new Secret({ buffer: new Uint8Array(SEED).buffer }).base32;
    const at = 1111111111 * 1000;
    const step = totpStep(at);
    const code = (s: number) => totpCodeAtStep(secret, s);
    expect(matchTotp(secret, code(step), at, 0)).toBe(step);
    expect(matchTotp(secret, code(step - 1), at, 0)).toBe(step - 1);
    expect(matchTotp(secret, code(step + 1), at, 0)).toBe(step + 1);
    expect(matchTotp(secret, code(step - 2), at, 0)).toBeNull();
    expect(matchTotp(secret, code(step + 2), at, 0)).toBeNull();
    // Once the current step was used, neither it nor an older code works again.
    expect(matchTotp(secret, code(step), at, step)).toBeNull();
    expect(matchTotp(secret, code(step - 1), at, step)).toBeNull();
    expect(matchTotp(secret, code(step + 1), at, step)).toBe(step + 1);
    expect(matchTotp(secret, '12345', at, 0)).toBeNull();
    expect(matchTotp(secret, 'abcdef', at, 0)).toBeNull();
  });

  it('builds the otpauth URI authenticator apps read', () => {
    const uri = otpauthUri('Example B.V.', 'ann', 'ABCDEFGH');
    expect(uri.startsWith('otpauth://totp/Example%20B.V.:ann?')).toBe(true);
    const parsed = URI.parse(uri);
    expect(parsed).toMatchObject({
      issuer: 'Example B.V.',
      label: 'ann',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    expect(parsed.secret.base32).toBe('ABCDEFGH');
  });

  it('encrypts secrets at rest with a key derived from the installation secret', () => {
    const key = Buffer.from('k'.repeat(32));
    const stored = encryptTotpSecret(key, 'JBSWY3DPEHPK3PXP');
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decryptTotpSecret(key, stored)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => decryptTotpSecret(Buffer.from('x'.repeat(32)), stored)).toThrow();
  });
});
