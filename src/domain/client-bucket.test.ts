import { describe, expect, it } from 'vitest';
import { clientBucket } from './client-bucket.js';

describe('clientBucket', () => {
  it('keeps an IPv4 address, also when mapped into IPv6', () => {
    expect(clientBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    const bucket = '2001:db8:0:1::/64';
    expect(clientBucket('2001:db8:0:1::1')).toBe(bucket);
    expect(clientBucket('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe(bucket);
    expect(clientBucket('2001:DB8:0:1:a:b:c:d')).toBe(bucket);
    expect(clientBucket('2001:db8:0:2::1')).not.toBe(bucket);
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('leaves what is not an IP address as it is', () => {
    expect(clientBucket('unix-socket')).toBe('unix-socket');
  });
});
