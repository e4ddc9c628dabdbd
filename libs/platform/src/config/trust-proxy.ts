import { isIP } from 'node:net';
import { z } from 'zod';

/** The address classes proxy-addr (Fastify's `trustProxy`) knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(item: string): boolean {
  if (NAMED_RANGES.has(item)) return true;
  const [address, bits, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * `HTTP_TRUST_PROXY`: which peers may tell us the client's address in `X-Forwarded-For`.
 * `false` (the default) trusts nobody: the client is the TCP peer, and a forged header changes
 * nothing. A list of addresses, CIDRs or `loopback`/`linklocal`/`uniquelocal` trusts exactly those
 * proxies. `true` trusts every peer and takes the left-most address of the header, which any client
 * can write — only for a port that nothing but the proxy can reach, and even then a list is better.
 */
export const trustProxySetting = z
  .string()
  .trim()
  .transform((value, ctx): boolean | string[] => {
    const lower = value.toLowerCase();
    if (lower === '' || lower === 'false') return false;
    if (lower === 'true') return true;
    const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
    const bad = items.filter((item) => !isAddressOrRange(item));
    if (items.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be false, true, or a comma list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal); not: ${bad.join(', ') || value}`,
      });
      return z.NEVER;
    }
    return items;
  });
