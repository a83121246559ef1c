/** SSRF address classification and the endpoint guard (scheme, credentials, DNS answers, allow-list). */
import { describe, expect, it } from 'vitest';
import { allowList, refusalReason } from '../../adapters/webhooks/address-policy.js';
import { createEndpointGuard } from '../../adapters/webhooks/endpoint-guard.js';

describe('refusalReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['64:ff9b::a00:1', 'nat64'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2002:7f00:1::', '6to4'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusalReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e'])('accepts the public address %s', (address) => {
    expect(refusalReason(address)).toBeUndefined();
  });
});

/**
 * Every block of IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates),
 * plus multicast: the first and the last address of each is refused (issue 11, defect 8).
 */
describe('special-purpose ranges', () => {
  it.each([
    ['0.0.0.0/8', '0.0.0.0', '0.255.255.255'],
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
    ['100.64.0.0/10', '100.64.0.0', '100.127.255.255'],
    ['127.0.0.0/8', '127.0.0.0', '127.255.255.255'],
    ['169.254.0.0/16', '169.254.0.0', '169.254.255.255'],
    ['172.16.0.0/12', '172.16.0.0', '172.31.255.255'],
    ['192.0.0.0/24', '192.0.0.0', '192.0.0.255'],
    ['192.0.2.0/24', '192.0.2.0', '192.0.2.255'],
    ['192.31.196.0/24', '192.31.196.0', '192.31.196.255'],
    ['192.52.193.0/24', '192.52.193.0', '192.52.193.255'],
    ['192.88.99.0/24', '192.88.99.0', '192.88.99.255'],
    ['192.168.0.0/16', '192.168.0.0', '192.168.255.255'],
    ['192.175.48.0/24', '192.175.48.0', '192.175.48.255'],
    ['198.18.0.0/15', '198.18.0.0', '198.19.255.255'],
    ['198.51.100.0/24', '198.51.100.0', '198.51.100.255'],
    ['203.0.113.0/24', '203.0.113.0', '203.0.113.255'],
    ['224.0.0.0/4 (multicast)', '224.0.0.0', '239.255.255.255'],
    ['240.0.0.0/4', '240.0.0.0', '255.255.255.254'],
    ['255.255.255.255/32', '255.255.255.255', '255.255.255.255'],
    ['::/128', '::', '::'],
    ['::1/128', '::1', '::1'],
    ['::ffff:0:0/96', '::ffff:0.0.0.0', '::ffff:255.255.255.255'],
    ['::/96 (IPv4-compatible)', '::0.0.0.2', '::255.255.255.255'],
    ['64:ff9b::/96', '64:ff9b::', '64:ff9b::ffff:ffff'],
    ['64:ff9b:1::/48', '64:ff9b:1::', '64:ff9b:1:ffff:ffff:ffff:ffff:ffff'],
    ['100::/64', '100::', '100::ffff:ffff:ffff:ffff'],
    ['2001::/23', '2001::', '2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001::/32 (Teredo)', '2001::', '2001:0:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:2::/48', '2001:2::', '2001:2:0:ffff:ffff:ffff:ffff:ffff'],
    ['2001:db8::/32', '2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:10::/28', '2001:10::', '2001:1f:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:20::/28', '2001:20::', '2001:2f:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2002::/16', '2002::', '2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['3fff::/20', '3fff::', '3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['5f00::/16', '5f00::', '5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fc00::/7', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fe80::/10', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['ff00::/8 (multicast)', 'ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('refuses %s from %s to %s', (_range, first, last) => {
    expect(refusalReason(first)).toEqual(expect.any(String));
    expect(refusalReason(last)).toEqual(expect.any(String));
  });

  it('names the IPv4-compatible form of loopback', () => {
    expect(refusalReason('::127.0.0.1')).toBe('ipv4-compatible');
    expect(refusalReason('::7f00:1')).toBe('ipv4-compatible');
  });

  it.each(['1.0.0.1', '192.31.197.1', '192.52.192.255', '192.175.49.0', '2001:200::1', '3fff:1000::1', '5f01::1', '2620:fe::fe'])('still accepts the neighbouring public address %s', (address) => {
    expect(refusalReason(address)).toBeUndefined();
  });
});

describe('allowList', () => {
  it('permits addresses inside the listed ranges only', () => {
    const allowed = allowList(['10.20.0.0/16', 'fd00::/8']);
    expect(allowed('10.20.3.4')).toBe(true);
    expect(allowed('10.21.0.1')).toBe(false);
    expect(allowed('fd00::5')).toBe(true);
    expect(allowed('nonsense')).toBe(false);
  });

  it('rejects malformed ranges', () => {
    expect(() => allowList(['10.0.0.0/33'])).toThrow();
    expect(() => allowList(['example.com/8'])).toThrow();
  });
});

describe('endpoint guard', () => {
  const resolveTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a host name that resolves to loopback, or to any refused address among several', async () => {
    await expect(createEndpointGuard({ allowedNetworks: [], requireHttps: false, resolve: resolveTo('127.0.0.1') }).check('http://sneaky.example/x')).rejects.toThrow('loopback');
    await expect(createEndpointGuard({ allowedNetworks: [], requireHttps: false, resolve: resolveTo('93.184.216.34', '10.0.0.7') }).check('https://mixed.example/x')).rejects.toThrow('private');
    // The system resolver: localhost is loopback wherever these tests run.
    await expect(createEndpointGuard({ allowedNetworks: [], requireHttps: false }).check('http://localhost:8080/')).rejects.toThrow('loopback');
  });

  it('refuses IP literals in private ranges, v4 and v6, including IPv4-mapped IPv6', async () => {
    const guard = createEndpointGuard({ allowedNetworks: [], requireHttps: false });
    for (const url of ['http://127.0.0.1/', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[::127.0.0.1]/']) {
      await expect(guard.check(url)).rejects.toThrow(/may not reach/);
    }
  });

  it('accepts a public address and pins it', async () => {
    const endpoint = await createEndpointGuard({ allowedNetworks: [], requireHttps: true, resolve: resolveTo('93.184.216.34') }).check('https://hooks.example.com/in');
    expect(endpoint).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('lets the allow-list open a private range', async () => {
    const guard = createEndpointGuard({ allowedNetworks: ['127.0.0.0/8', '::1/128'], requireHttps: false });
    await expect(guard.check('http://127.0.0.1:9000/')).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(guard.check('http://[::1]:9000/')).resolves.toMatchObject({ address: '::1', family: 6 });
    await expect(guard.check('http://10.0.0.1/')).rejects.toThrow('private');
  });

  it('refuses other schemes, credentials in the URL, http in production, and names that do not resolve', async () => {
    const guard = createEndpointGuard({ allowedNetworks: [], requireHttps: true, resolve: resolveTo('93.184.216.34') });
    await expect(guard.check('http://hooks.example.com/')).rejects.toThrow('https');
    await expect(guard.check('file:///etc/passwd')).rejects.toThrow('https');
    await expect(guard.check('https://user:pw@hooks.example.com/')).rejects.toThrow('credentials');
    await expect(guard.check('not a url')).rejects.toThrow('not valid');
    const failing = createEndpointGuard({ allowedNetworks: [], requireHttps: true, resolve: async () => Promise.reject(new Error('ENOTFOUND')) });
    await expect(failing.check('https://nowhere.invalid/')).rejects.toThrow('does not resolve');
  });
});
