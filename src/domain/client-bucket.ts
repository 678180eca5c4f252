import { isIP } from 'node:net';

/**
 * The address bucket a rate limit counts a client in: an IPv4 address on its own, an IPv6
 * address by its /64 (one subscriber line or host gets a whole /64, so counting single
 * addresses would let a scanner rotate through 2^64 of them). IPv4-mapped IPv6 addresses
 * count as the IPv4 address they carry. Anything else (a unix socket, a test) as given.
 */
export function clientBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const bare = address.split('%')[0]!.toLowerCase();
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // A trailing embedded IPv4 (::1.2.3.4) fills two groups; only the first four matter here.
  const tailCount = tailGroups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups =
    tail === undefined
      ? headGroups
      : [
          ...headGroups,
          ...Array<string>(8 - headGroups.length - tailCount).fill('0'),
          ...tailGroups,
        ];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
