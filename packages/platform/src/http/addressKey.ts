import { isIPv6 } from 'node:net';

/** An IPv6 address's eight 16-bit groups, `::` expanded and a trailing dotted IPv4 split in two. */
function groupsOf(address: string): number[] {
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const hex = dotted
    ? `${address.slice(0, dotted.index)}${((+dotted[1] << 8) | +dotted[2]).toString(16)}:${((+dotted[3] << 8) | +dotted[4]).toString(16)}`
    : address;
  const [head, tail] = hex.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const written = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return written.map((g) => parseInt(g, 16));
}

/**
 * What a per-address limit counts against. IPv4 as is, also when written IPv4-mapped in either
 * form (`::ffff:1.2.3.4`, `::ffff:102:304`); IPv6 by its /64, the block one subscriber gets:
 * counting single IPv6 addresses would let a guesser take a fresh one for every try. The mapped
 * forms must be told apart first: taken as IPv6, every IPv4 client would share `0:0:0:0::/64`.
 */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return bare;
  const groups = groupsOf(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}
