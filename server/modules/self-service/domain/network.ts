/**
 * The coarse network a session was seen from, which is all the sessions list keeps of an address:
 * an IPv4 address to its /24 ("203.0.113.x"), an IPv6 address to its /48 ("2001:db8:85a3::/48").
 * Enough for a person to tell "home" from "somewhere else", and data minimisation (GDPR art. 5(1)(c)):
 * the full address of each request is already in the audit trail, under its own retention, for
 * investigations; a list that any session of the account can read need not hold it too.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Network(address: string): string | undefined {
  const parts = IPV4.exec(address);
  if (!parts || parts.slice(1).some((p) => Number(p) > 255)) return undefined;
  return `${Number(parts[1])}.${Number(parts[2])}.${Number(parts[3])}.x`;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail counts as two), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (text: string): number[] | undefined => {
    if (text === '') return [];
    const out: number[] = [];
    for (const part of text.split(':')) {
      if (/^[0-9a-f]{1,4}$/i.test(part)) out.push(parseInt(part, 16));
      else if (IPV4.test(part)) {
        const [a, b, c, d] = part.split('.').map(Number) as [number, number, number, number];
        if ([a, b, c, d].some((n) => n > 255)) return undefined;
        out.push(a * 256 + b, c * 256 + d);
      } else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** @returns the network to show and store for a client address, or undefined when it is not an IP address. */
export function coarseNetwork(address: string | undefined): string | undefined {
  const value = (address ?? '').trim().replace(/%.*$/, '');
  if (value.length > 64) return undefined;
  const v4 = ipv4Network(value);
  if (v4) return v4;
  const groups = ipv6Groups(value);
  if (!groups) return undefined;
  // IPv4-mapped (::ffff:a.b.c.d), as Node reports IPv4 peers on a dual-stack socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.x`;
  }
  const [a, b, c] = groups.map((g) => g.toString(16));
  return `${a}:${b}:${c}::/48`;
}
