import { isIPv6 } from 'node:net';

/**
 * What a per-address limit counts against. IPv4 (also when written IPv4-mapped, `::ffff:1.2.3.4`)
 * as is; IPv6 by its /64, the block one subscriber gets: counting single IPv6 addresses would let
 * a guesser take a fresh one for every try.
 */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return mapped[1];
  if (!isIPv6(bare)) return bare;
  const [head, tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
