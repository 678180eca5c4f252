import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  otpauthUri,
  totpStep,
} from '../../src/domain/totp.js';
import { decryptTotpSecret, encryptTotpSecret } from '../../src/services/totp.service.js';

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
    expect(hotp(SEED, totpStep(seconds * 1000), 8)).toBe(expected);
    expect(hotp(SEED, totpStep(seconds * 1000))).toBe(expected.slice(2));
  });

  it('round-trips base32 (RFC 4648 examples)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
    expect(() => base32Decode('MZ1')).toThrow(/base32/);
  });

  it('accepts the codes of the previous, current and next step, each only after the last used', () => {
    const secret = base32Encode(SEED);
    const at = 1111111111 * 1000;
    const step = totpStep(at);
    const code = (s: number) => hotp(SEED, s);
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
    expect(otpauthUri('Example B.V.', 'ann', 'ABC')).toBe(
      'otpauth://totp/Example%20B.V.:ann?secret=ABC&issuer=Example+B.V.&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('encrypts secrets at rest with a key derived from the installation secret', () => {
    const key = Buffer.from('k'.repeat(32));
    const stored = encryptTotpSecret(key, 'JBSWY3DPEHPK3PXP');
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decryptTotpSecret(key, stored)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => decryptTotpSecret(Buffer.from('x'.repeat(32)), stored)).toThrow();
  });
});
