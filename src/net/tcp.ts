/**
 * A plain TCP connection under the same address policy as HTTP (checked on the host name and on
 * every DNS answer), for protocols whose library accepts a connected socket (SMTP).
 */
import net from 'node:net';
import { MediawatchError, fail, ok, type Result } from '../contracts/errors.js';
import type { AddressPolicy } from './address-policy.js';
import { classify, policyLookup } from './http-client.js';

export function connectTcp(
  policy: AddressPolicy,
  host: string,
  port: number,
  timeoutMs: number,
  shownAs: string,
): Promise<Result<net.Socket>> {
  const checked = policy.check(host);
  if (!checked.ok) return Promise.resolve(checked);
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port, lookup: policyLookup(policy) });
    const timer = setTimeout(() => {
      socket.destroy();
      const details = { url: shownAs, phase: 'connect' };
      resolve(
        fail(
          new MediawatchError('timeout', `connect timeout of ${timeoutMs} ms reached for ${shownAs}`, {
            retryable: true,
            details,
          }),
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(ok(socket));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(fail(classify(err, shownAs)));
    });
  });
}
