/**
 * A loopback WebSub hub that follows the W3C recommendation, for tests and the benchmark:
 * subscribe and unsubscribe requests (form POST, answered 202), the verification of intent (a GET
 * to the callback whose challenge must come back verbatim), leases that end, and content
 * distribution signed with the subscriber's hub.secret (`X-Hub-Signature`). It can be put down
 * (every request answered 503) and can send forged or unsigned deliveries.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { startServer } from './loopback.js';

export interface HubRequest {
  mode: string;
  topic: string;
  callback: string;
  secret?: string;
  leaseSeconds?: number;
  at: number;
  /** What the hub answered. */
  status: number;
}

interface HubSubscription {
  topic: string;
  callback: string;
  secret?: string;
  leaseEnd: number;
}

export interface Verification {
  mode: string;
  topic: string;
  callback: string;
  status: number;
  echoed: boolean;
}

export interface HubOptions {
  /** The lease the hub grants, whatever is asked (the recommendation lets a hub choose). */
  leaseSeconds?: number;
  /** Signature algorithm of deliveries. */
  algorithm?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => resolve(body));
  });
}

export async function startHub(opts: HubOptions = {}) {
  const requests: HubRequest[] = [];
  const verifications: Verification[] = [];
  const subscriptions = new Map<string, HubSubscription>();
  const key = (topic: string, callback: string) => `${topic} ${callback}`;
  let down = false;

  /** §5.3: a GET with the challenge; the intent holds only when it comes back verbatim with a 2xx. */
  async function verify(mode: string, topic: string, callback: string, leaseSeconds?: number) {
    const challenge = crypto.randomBytes(12).toString('hex');
    const url = new URL(callback);
    url.searchParams.set('hub.mode', mode);
    url.searchParams.set('hub.topic', topic);
    url.searchParams.set('hub.challenge', challenge);
    if (leaseSeconds !== undefined) url.searchParams.set('hub.lease_seconds', String(leaseSeconds));
    const res = await fetch(url).catch(() => undefined);
    const body = res ? await res.text() : '';
    const echoed = res !== undefined && res.ok && body === challenge;
    verifications.push({ mode, topic, callback, status: res?.status ?? 0, echoed });
    return echoed;
  }

  async function handle(form: URLSearchParams): Promise<void> {
    const mode = form.get('hub.mode') ?? '';
    const topic = form.get('hub.topic') ?? '';
    const callback = form.get('hub.callback') ?? '';
    if (mode === 'subscribe') {
      const lease = opts.leaseSeconds ?? Number(form.get('hub.lease_seconds') ?? 86_400);
      if (await verify('subscribe', topic, callback, lease))
        subscriptions.set(key(topic, callback), {
          topic,
          callback,
          secret: form.get('hub.secret') ?? undefined,
          leaseEnd: Date.now() + lease * 1000,
        });
    } else if (mode === 'unsubscribe' && (await verify('unsubscribe', topic, callback))) {
      subscriptions.delete(key(topic, callback));
    }
  }

  const server = await startServer((req, res) => {
    void readBody(req).then((body) => {
      const form = new URLSearchParams(body);
      const status = down ? 503 : req.method !== 'POST' ? 405 : 202;
      const leaseText = form.get('hub.lease_seconds');
      requests.push({
        mode: form.get('hub.mode') ?? '',
        topic: form.get('hub.topic') ?? '',
        callback: form.get('hub.callback') ?? '',
        ...(form.get('hub.secret') ? { secret: form.get('hub.secret')! } : {}),
        ...(leaseText ? { leaseSeconds: Number(leaseText) } : {}),
        at: Date.now(),
        status,
      });
      res.writeHead(status).end(down ? 'hub is down for maintenance' : '');
      // The hub verifies after it answered 202, as §5.1 describes.
      if (status === 202) void handle(form);
    });
  });

  /** Subscriptions whose lease runs; an ended lease is removed, as a hub does. */
  const active = (topic?: string) => {
    const now = Date.now();
    for (const [k, s] of subscriptions) if (s.leaseEnd <= now) subscriptions.delete(k);
    return [...subscriptions.values()].filter((s) => topic === undefined || s.topic === topic);
  };

  async function deliver(s: HubSubscription, body: string, sign: (b: Buffer) => string | undefined) {
    const bytes = Buffer.from(body);
    const signature = sign(bytes);
    const res = await fetch(s.callback, {
      method: 'POST',
      headers: {
        'content-type': 'application/atom+xml',
        link: `<${server.url}/>; rel="hub", <${s.topic}>; rel="self"`,
        ...(signature ? { 'x-hub-signature': signature } : {}),
      },
      body: bytes,
    });
    await res.arrayBuffer();
    return res.status;
  }

  const algorithm = opts.algorithm ?? 'sha256';
  const hmac = (secret: string, b: Buffer) =>
    `${algorithm}=${crypto.createHmac(algorithm, secret).update(b).digest('hex')}`;

  return {
    url: `${server.url}/`,
    requests,
    verifications,
    active,
    /** Every following request is answered 503 (or, again, 202). */
    setDown(value: boolean) {
      down = value;
    },
    /** Content distribution (§7) to every subscriber of the topic; the callbacks' statuses. */
    publish: (topic: string, body: string) =>
      Promise.all(
        active(topic).map((s) => deliver(s, body, (b) => (s.secret ? hmac(s.secret, b) : undefined))),
      ),
    /** A delivery signed with another secret, or none: what a forger can send. */
    forge: (topic: string, body: string, secret: string | undefined) =>
      Promise.all(active(topic).map((s) => deliver(s, body, (b) => (secret ? hmac(secret, b) : undefined)))),
    /** Ends a lease now, as if it had run out. */
    expire(topic: string) {
      for (const s of active(topic)) s.leaseEnd = 0;
    },
    close: server.close,
  };
}

export type Hub = Awaited<ReturnType<typeof startHub>>;
