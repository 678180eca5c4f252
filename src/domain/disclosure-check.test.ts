import { describe, expect, it } from 'vitest';
import {
  checkDisclosure,
  isPrivateIpv4,
  isPrivateIpv6,
  looksRandom,
  unacceptedFindings,
  type DisclosureText,
} from './disclosure-check.js';

const opts = { internalDomains: ['corp.example.com', '.int.hoster.nl'] };
const one = (body: string, subject = 'Update'): DisclosureText[] => [
  { language: 'en', subject, body },
];
const rules = (body: string) => checkDisclosure(one(body), opts).map((f) => f.rule);

describe('disclosure check', () => {
  it('passes a clean public text', () => {
    expect(
      checkDisclosure(
        one(
          'We found a flaw in our customer portal on 3 March. Read more at https://www.example.com/security/2026/inc-2026-0001-portal. Version 6.4.3 fixes it.',
        ),
        opts,
      ),
    ).toEqual([]);
  });

  it('finds internal host names from the setting and the built-in suffixes', () => {
    const f = checkDisclosure(
      one(
        'The attacker reached db01.corp.example.com and then web3.int.hoster.nl.\nAlso nas.local.',
      ),
      opts,
    );
    expect(f.map((x) => [x.rule, x.excerpt, x.line])).toEqual([
      ['internal-host', 'db01.corp.example.com', 1],
      ['internal-host', 'web3.int.hoster.nl', 1],
      ['internal-host', 'nas.local', 2],
    ]);
    expect(rules('Contact us at security@example.com or www.example.nl')).toEqual([]);
  });

  it('finds private IPv4 and IPv6 addresses, not public ones', () => {
    expect(rules('from 10.1.2.3')).toEqual(['private-ip']);
    expect(rules('via 172.20.0.1 and 192.168.1.10')).toEqual(['private-ip', 'private-ip']);
    expect(rules('loopback 127.0.0.1 and link-local 169.254.10.1')).toEqual([
      'private-ip',
      'private-ip',
    ]);
    expect(rules('IPv6 fd12:3456:789a::1 and fe80::1ff:fe23:4567:890a and ::1')).toEqual([
      'private-ip',
      'private-ip',
      'private-ip',
    ]);
    expect(rules('public 8.8.8.8, 172.32.0.1, 2001:db8::1 and version 1.2.3')).toEqual([]);
    expect(isPrivateIpv4('172.15.0.1')).toBe(false);
    expect(isPrivateIpv4('100.64.0.1')).toBe(true);
    expect(isPrivateIpv6('2a02:58::1')).toBe(false);
    expect(isPrivateIpv6('fc00::5')).toBe(true);
  });

  it('finds Unix and Windows paths, not URLs', () => {
    expect(rules('config in /etc/nginx/sites-enabled/portal.conf')).toEqual(['file-path']);
    expect(rules('dump at /var/backups/db.sql.gz and ~/home/x')).toEqual([
      'file-path',
      'file-path',
    ]);
    expect(rules('see C:\\inetpub\\wwwroot\\web.config')).toEqual(['file-path']);
    expect(rules('share \\\\fileserver\\finance$\\q3.xlsx')).toEqual(['file-path']);
    expect(rules('https://example.com/etc/passwd is a URL path')).toEqual([]);
    expect(rules('and/or 24/7 support')).toEqual([]);
  });

  it('finds credentials and masks them', () => {
    const f = checkDisclosure(one('key AKIAIOSFODNN7EXAMPLE leaked'), opts);
    expect(f).toHaveLength(1);
    expect(f[0]!.rule).toBe('credential');
    expect(f[0]!.excerpt).not.toContain('IOSFODNN7');
    expect(rules('-----BEGIN RSA PRIVATE KEY-----\nMIIEow...')).toEqual(['credential']);
    expect(
      rules(
        'token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ),
    ).toEqual(['credential']);
    expect(rules('use password=Winter2026! to log in')).toEqual(['credential']);
    expect(rules('wachtwoord: hunter22')).toEqual(['credential']);
    expect(rules('secret 9fK2mQ7xLp4Rt8Zw1Nc6Vb3Hy5Gd0Js2Ae7')).toEqual(['credential']);
    expect(rules('see our-security-page-about-the-incident-in-march')).toEqual([]);
    expect(rules('https://example.com/reset?token=9fK2mQ7xLp4Rt8Zw1Nc6Vb3Hy5Gd0Js2Ae7')).toEqual([
      'credential',
    ]);
    expect(looksRandom('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1')).toBe(false);
  });

  it('finds embargoed text that leaked outside the block, in any language', () => {
    const texts: DisclosureText[] = [
      {
        language: 'en',
        subject: 'Portal flaw',
        body: [
          'We fixed a flaw. The upload handler accepted files without checking them.',
          '',
          ':::embargo until=resolved',
          'The upload handler accepted files without checking them. The flaw is in upload_v2.php.',
          ':::',
        ].join('\n'),
      },
      { language: 'nl', subject: 'Fout', body: 'De fout zat in upload_v2.php.' },
    ];
    const f = checkDisclosure(texts, opts).filter((x) => x.rule === 'embargo-leak');
    expect(f.map((x) => [x.language, x.excerpt])).toEqual([
      ['en', 'The upload handler accepted files without checking them.'],
      ['nl', 'upload_v2.php'],
    ]);
  });

  it('reports embargo syntax errors', () => {
    expect(rules(':::embargo until=someday\nx\n:::')).toEqual(['embargo-syntax']);
    expect(rules(':::embargo until=2027-01-15\nnever closed')).toEqual(['embargo-syntax']);
  });

  it('keeps fingerprints stable across edits elsewhere, and honours acceptances', () => {
    const a = checkDisclosure(one('Server 10.0.0.5 was hit.'), opts);
    const b = checkDisclosure(one('Intro line.\n\nOur server 10.0.0.5 was hit hard.'), opts);
    expect(a[0]!.fingerprint).toBe(b[0]!.fingerprint);
    expect(unacceptedFindings(b, new Set([a[0]!.fingerprint]))).toEqual([]);
  });

  it('checks the subject too', () => {
    const f = checkDisclosure(one('body', 'Outage of db1.corp.example.com'), opts);
    expect(f.map((x) => x.part)).toEqual(['subject']);
  });
});
