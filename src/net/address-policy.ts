/**
 * Which network addresses mediawatch may talk to. Feeds and webhook URLs come from config and from
 * redirects chosen by remote servers, so by default only public unicast addresses are reachable:
 * a feed must not be able to point us at the metadata service, the Redis port or the LAN.
 */
import ipaddr from 'ipaddr.js';
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';

export interface AddressPolicyOptions {
  /** Lets every address through; for deployments that only watch internal feeds. */
  allowPrivateAddresses: boolean;
  /** Host names (exact, case-insensitive), IP addresses or CIDRs allowed even though they are not public. */
  allowHosts: string[];
}

export interface AddressPolicy {
  /**
   * Judges a connection to `hostname`. With `address` (what DNS gave, or the literal), judges that
   * address; without it, judges the host name alone, which for a name (not an IP literal) can only
   * be decided after lookup and so passes here.
   */
  check(hostname: string, address?: string): Result<void>;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** An IP literal in any notation ipaddr.js knows, IPv4-mapped IPv6 turned into its IPv4 address. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return undefined;
  return ipaddr.process(bare);
}

/**
 * Only plain unicast is public. Everything ipaddr.js names (loopback, private, linkLocal,
 * carrierGradeNat, uniqueLocal, multicast, unspecified, broadcast, reserved, and the IPv6 transition
 * ranges 6to4/teredo/NAT64 that can embed a private IPv4 address) is refused.
 */
function isPublic(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return ip.range() === 'unicast';
}

/** Throws a 'config' MediawatchError for a malformed CIDR in allowHosts; called once at start. */
export function createAddressPolicy(opts: AddressPolicyOptions): AddressPolicy {
  const hosts = new Set<string>();
  const ranges: Range[] = [];
  for (const entry of opts.allowHosts) {
    const text = entry.trim().toLowerCase();
    if (text.includes('/')) {
      const cidr = text.replace(/^\[|\](?=\/)/g, '');
      if (!ipaddr.isValidCIDR(cidr)) {
        // Config validation happens at start, so failing here stops a typo from silently allowing nothing.
        throw new MediawatchError('config', `network.allowHosts: "${entry}" is not a valid CIDR`, {
          details: { entry },
        });
      }
      const [addr, bits] = ipaddr.parseCIDR(cidr);
      const mapped = addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress();
      ranges.push(mapped ? [addr.toIPv4Address(), Math.max(0, bits - 96)] : [addr, bits]);
      continue;
    }
    const ip = parseIp(text);
    if (ip) ranges.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    else hosts.add(text.replace(/\.$/, ''));
  }

  const inAllowedRange = (ip: ipaddr.IPv4 | ipaddr.IPv6): boolean =>
    ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));

  return {
    check(hostname, address) {
      if (opts.allowPrivateAddresses) return ok(undefined);
      const name = hostname
        .toLowerCase()
        .replace(/^\[|\]$/g, '')
        .replace(/\.$/, '');
      if (hosts.has(name)) return ok(undefined);
      const ip = parseIp(address ?? name);
      if (!ip) {
        return address === undefined
          ? ok(undefined)
          : fail(
              new MediawatchError(
                'blocked-address',
                `${hostname} resolved to "${address}", which is not an IP address`,
                { details: { host: hostname } },
              ),
            );
      }
      if (isPublic(ip) || inAllowedRange(ip)) return ok(undefined);
      const shown =
        address !== undefined && address !== name ? `${hostname} (${ip.toString()})` : ip.toString();
      return fail(
        new MediawatchError(
          'blocked-address',
          `refusing to connect to ${shown}: ${ip.range()} addresses are not allowed (see network.allowHosts)`,
          {
            retryable: false,
            details: { host: hostname, address: ip.toString(), range: ip.range() },
          },
        ),
      );
    },
  };
}
