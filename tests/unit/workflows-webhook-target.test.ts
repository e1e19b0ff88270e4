import { describe, expect, it } from 'vitest';
import { assertPublicTarget, isPublicAddress } from '../../shared/workflows/webhook-target.ts';

describe('isPublicAddress', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    '2001:0:808:808:0:0:f7f7:f7f7',
  ])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd00::1',
    'fc00::abcd',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '2001:db8::1',
    'not-an-ip',
    // IPv4-compatible (deprecated ::a.b.c.d), whatever it embeds
    '::127.0.0.1',
    '::7f00:1',
    '::8.8.8.8',
    // IPv4-translated (RFC 6145)
    '::ffff:0:127.0.0.1',
    '::ffff:0:a9fe:a9fe',
    // NAT64 well-known prefix with private IPv4 inside, and the local-use NAT64 prefix (RFC 8215)
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::808:808',
    '64:ff9b:1:abcd::1',
    // 6to4 of loopback, private and metadata addresses
    '2002:7f00:1::1',
    '2002:c0a8:101::1',
    '2002:a9fe:a9fe::',
    // Teredo: private server, or private client (obfuscated with XOR 0xffff)
    '2001:0:a00:1:0:0:f7f7:f7f7',
    '2001:0:808:808:0:0:80ff:fffe',
    // link-local, site-local, discard, benchmarking, mapped with private inside in hex
    'fe80::a9fe:a9fe',
    'fec0::1',
    '100::1',
    '2001:2::1',
    '::ffff:a9fe:a9fe',
    '::ffff:c0a8:1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('assertPublicTarget', () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw new Error(`ENOTFOUND ${host}`);
    return addresses;
  };
  const dns = resolver({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'rebind.example.com': ['93.184.216.34', '10.0.0.7'],
    'internal.example.com': ['192.168.10.5'],
  });

  it('allows a host whose every address is public', async () => {
    await expect(assertPublicTarget('https://hooks.example.com/x', [], dns)).resolves.toBeUndefined();
  });

  it('refuses a host with any private address, as permanent', async () => {
    for (const url of ['https://rebind.example.com/x', 'https://internal.example.com/x']) {
      await expect(assertPublicTarget(url, [], dns)).rejects.toMatchObject({
        name: 'WebhookTargetError',
        permanent: true,
        message: expect.stringMatching(/resolves to a private address/),
      });
    }
  });

  it('refuses private IP literals without resolving them', async () => {
    const never = async () => {
      throw new Error('must not resolve');
    };
    await expect(assertPublicTarget('http://[fd12::1]/x', [], never)).rejects.toMatchObject({
      permanent: true,
    });
    await expect(assertPublicTarget('http://192.168.0.1/x', [], never)).rejects.toMatchObject({
      permanent: true,
    });
  });

  it('lets an allowed host through even when private', async () => {
    await expect(
      assertPublicTarget('https://internal.example.com/x', ['internal.example.com'], dns),
    ).resolves.toBeUndefined();
    await expect(assertPublicTarget('http://[::1]:8080/x', ['::1'], dns)).resolves.toBeUndefined();
  });

  it('reports a name that does not resolve as worth retrying', async () => {
    await expect(assertPublicTarget('https://gone.example.com/x', [], dns)).rejects.toMatchObject({
      permanent: false,
    });
  });
});
