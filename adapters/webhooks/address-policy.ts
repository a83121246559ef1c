/**
 * Which IP addresses a webhook may be delivered to (SSRF defence). Everything that is not the
 * public internet is refused: every block of IANA's IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and its updates) — loopback, private (RFC 1918, fc00::/7), link-local
 * (including 169.254.169.254, the cloud metadata service), CGNAT (100.64.0.0/10), AS112, AMT,
 * benchmarking, documentation, reserved — plus multicast and the deprecated site-local range,
 * and every IPv6 form that embeds an IPv4 address (IPv4-mapped, IPv4-compatible ::/96, NAT64,
 * 6to4, Teredo), since those reach IPv4 hosts by another name. Matching is node:net's
 * BlockList, not our own parser. WEBHOOK_ALLOWED_NETWORKS re-opens named ranges.
 */
import { BlockList, isIP } from 'node:net';

const REFUSED_V4: Array<[network: string, prefix: number, reason: string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.31.196.0', 24, 'as112'],
  ['192.52.193.0', 24, 'amt'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['192.175.48.0', 24, 'as112'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  // Inside 240/4 already; listed because the registry lists it on its own.
  ['255.255.255.255', 32, 'broadcast'],
];

const REFUSED_V6: Array<[network: string, prefix: number, reason: string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1): ::127.0.0.1 is 127.0.0.1 to some stacks.
  ['::', 96, 'ipv4-compatible'],
  ['::ffff:0:0', 96, 'ipv4-mapped'],
  ['64:ff9b::', 96, 'nat64'],
  ['64:ff9b:1::', 48, 'nat64'],
  ['100::', 64, 'discard'],
  // Before 2001::/23, which holds them all: a more telling reason for the ones named on their own.
  ['2001::', 32, 'teredo'],
  ['2001:2::', 48, 'benchmarking'],
  ['2001:10::', 28, 'orchid'],
  ['2001:20::', 28, 'orchid'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'srv6'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function listOf(ranges: Array<[string, number, string]>, family: 'ipv4' | 'ipv6'): Array<[BlockList, string]> {
  return ranges.map(([network, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return [list, reason];
  });
}

const V4 = listOf(REFUSED_V4, 'ipv4');
const V6 = listOf(REFUSED_V6, 'ipv6');

/** @returns why the address is refused, or undefined for a public unicast address. Non-IP input is refused. */
export function refusalReason(address: string): string | undefined {
  const version = isIP(address);
  if (version === 0) return 'not an IP address';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  for (const [list, reason] of version === 4 ? V4 : V6) if (list.check(address, family)) return reason;
  return undefined;
}

/** Networks permitted despite the rules above (WEBHOOK_ALLOWED_NETWORKS). @throws on a malformed CIDR. */
export function allowList(cidrs: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, bits] = cidr.split('/');
    const version = isIP(network ?? '');
    const prefix = Number(bits);
    if (!version || !Number.isInteger(prefix) || prefix < 0 || prefix > (version === 4 ? 32 : 128)) throw new Error(`not a CIDR range: ${cidr}`);
    list.addSubnet(network!, prefix, version === 4 ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    const version = isIP(address);
    return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}
