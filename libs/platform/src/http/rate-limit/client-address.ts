import { isIPv4, isIPv6 } from 'node:net';

/** Eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  let text = address;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/**
 * The rate-limit identity of a client address. IPv4 counts per address. IPv6 counts per /64, the
 * block one subscriber usually gets, so hopping between addresses of one's own block buys nothing.
 * IPv4-mapped IPv6 is IPv4. Anything that is not an address (a forged header under
 * `HTTP_TRUST_PROXY=true`) shares the single `unknown` counter.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  const bare = address.split('%')[0];
  if (!isIPv6(bare)) return 'unknown';
  return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
}
