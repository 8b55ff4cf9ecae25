import { describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../../../src/net/address-policy.js';

const strict = createAddressPolicy({ allowPrivateAddresses: false, allowHosts: [] });
/** What a URL's host looks like after WHATWG parsing, which is what the client checks. */
const hostOf = (url: string) => new URL(url).hostname;

describe('address policy', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[::ffff:192.168.1.1]/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
    ['http://[fd00::1]/', 'uniqueLocal'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://[64:ff9b::a00:1]/', 'rfc6052'],
    ['http://[2002:7f00:1::]/', '6to4'],
  ])('refuses %s by default (%s)', (url, range) => {
    const r = strict.check(hostOf(url));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('blocked-address');
      expect(r.error.retryable).toBe(false);
      expect(r.error.details.range).toBe(range);
    }
  });

  it.each(['http://93.184.216.34/', 'http://[2606:4700:4700::1111]/', 'http://example.com/'])(
    'lets %s through',
    (url) => {
      expect(strict.check(hostOf(url)).ok).toBe(true);
    },
  );

  it('judges a resolved address, not only the name, so a public name resolving to loopback is refused', () => {
    expect(strict.check('feeds.example.com', '127.0.0.1').ok).toBe(false);
    expect(strict.check('feeds.example.com', '::ffff:10.1.2.3').ok).toBe(false);
    expect(strict.check('feeds.example.com', '93.184.216.34').ok).toBe(true);
  });

  it('allows a private range listed as a CIDR, and nothing outside it', () => {
    const p = createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['10.1.0.0/16'] });
    expect(p.check('hook.internal', '10.1.2.3').ok).toBe(true);
    expect(p.check('hook.internal', '10.2.0.1').ok).toBe(false);
    expect(p.check('[::ffff:10.1.9.9]').ok).toBe(true);
  });

  it('allows a host listed by name whatever it resolves to, and only that host', () => {
    const p = createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['Receiver.Internal'] });
    expect(p.check('receiver.internal', '192.168.0.10').ok).toBe(true);
    expect(p.check('other.internal', '192.168.0.10').ok).toBe(false);
  });

  it('allows a single listed IP address and still refuses its neighbours', () => {
    const p = createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['127.0.0.1'] });
    expect(p.check('127.0.0.1').ok).toBe(true);
    expect(p.check('127.0.0.2').ok).toBe(false);
    expect(p.check('169.254.169.254').ok).toBe(false);
  });

  it('allows everything when private addresses are allowed', () => {
    const p = createAddressPolicy({ allowPrivateAddresses: true, allowHosts: [] });
    expect(p.check('169.254.169.254').ok).toBe(true);
  });
});

describe('address policy configuration', () => {
  it('rejects a malformed CIDR at start with a config error naming it', () => {
    expect(() => createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['10.0.0.0/99'] })).toThrow(
      /10\.0\.0\.0\/99/,
    );
  });
});
