import { describe, expect, it } from 'vitest';
import { forbiddenAddressReason, isAllowListed } from '../../src/domain/network-guard.js';
import {
  signWebhook,
  verifyWebhook,
  webhookBackoffMs,
} from '../../src/domain/webhook-signature.js';

describe('network guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'unique local (private)'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (IPv4 inside IPv6)'],
    ['::ffff:7f00:1', 'loopback (IPv4 inside IPv6)'],
    ['::ffff:10.0.0.1', 'private (IPv4 inside IPv6)'],
    ['64:ff9b::a9fe:a9fe', 'link-local (IPv4 inside IPv6)'],
    ['[::1]', 'loopback'],
    ['::7f00:1', 'loopback (IPv4 inside IPv6)'],
    ['64:ff9b:1::a00:1', 'private (IPv4 inside IPv6)'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['fec0::1', 'site-local'],
    ['localhost', 'not an IP address'],
    ['127.1', 'not an IP address'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each([
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '2a00:1450:400e:80f::200e',
    '::ffff:93.184.215.14',
    '1.1.1.1',
  ])('allows the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });

  it('matches allow-listed hosts case-insensitively, with or without brackets', () => {
    expect(isAllowListed('LocalHost', ['localhost'])).toBe(true);
    expect(isAllowListed('[::1]', ['::1'])).toBe(true);
    expect(isAllowListed('127.0.0.2', ['127.0.0.1'])).toBe(false);
  });
});

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 and verifies in constant time, refusing old or altered bodies', () => {
    const header = signWebhook('whsec_test', '{"a":1}', 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_test', '{"a":1}', header, { nowSeconds: 1_800_000_010 })).toBe(
      true,
    );
    expect(verifyWebhook('whsec_test', '{"a":2}', header, { nowSeconds: 1_800_000_010 })).toBe(
      false,
    );
    expect(verifyWebhook('other', '{"a":1}', header, { nowSeconds: 1_800_000_010 })).toBe(false);
    expect(verifyWebhook('whsec_test', '{"a":1}', header, { nowSeconds: 1_800_001_000 })).toBe(
      false,
    );
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map((a) => webhookBackoffMs(a))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(webhookBackoffMs(30)).toBe(6 * 3_600_000);
  });
});
