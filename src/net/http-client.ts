/**
 * The one HTTP client, shared by feed fetching and webhook delivery. It never throws: every
 * failure is a MediawatchError with a code. Status codes are not failures here (a 500 is a
 * response); the caller classifies them.
 *
 * Guarantees that matter against hostile servers:
 * - the address policy is applied to IP literals before connecting, to every DNS answer inside
 *   the socket's lookup (so a name that re-resolves to 127.0.0.1 between checks still fails), and
 *   to every redirect hop;
 * - a connect timeout and a total timeout (which also bounds slow-drip bodies and redirects);
 * - a byte cap counted after decompression, so a gzip bomb stops at the cap;
 * - every socket is destroyed when the request fails or is aborted, and when it ends too unless
 *   the client keeps connections alive; then only a response read to its end frees the socket
 *   for reuse, and a reused socket the server had just closed is retried on a fresh one.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { MediawatchError, fail, ok, type ErrorCode, type Result } from '../contracts/errors.js';
import type { AddressPolicy } from './address-policy.js';

export interface HttpClientOptions {
  policy: AddressPolicy;
  userAgent: string;
  /**
   * Reuse connections to the same origin (idle ones close after IDLE_SOCKET_MS, or sooner when
   * the server says so): it saves a TCP (and TLS) handshake per request to a webhook receiver,
   * which gets many small POSTs in a row, and to a host that serves many feeds.
   */
  keepAlive?: boolean;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  connectTimeoutMs: number;
  /** Covers everything: every hop, headers and the whole body. */
  totalTimeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  maxBytes: number;
  /** Redirects to follow; 0 returns a 3xx as the response. */
  maxRedirects: number;
  /** Ask for and undo gzip/deflate/br (default true). */
  decompress?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that gave this response, after redirects. */
  finalUrl: string;
  redirects: number;
}

export interface HttpClient {
  request(url: string, opts: RequestOptions): Promise<Result<HttpResponse>>;
  /** Closes every kept-alive connection: for shutdown, once no request is in flight. */
  close(): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** How long an idle kept-alive connection waits for the next request. */
const IDLE_SOCKET_MS = 4_000;
/**
 * Errors of a reused connection that the server closed as we sent on it, before any answer: the
 * request is sent again on a fresh one (webhook receivers dedupe by webhook-id should it have landed).
 */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** Fresh tries after stale reused connections, per hop: each try takes one more pooled socket or a new one. */
const STALE_RETRIES = 2;

interface Agents {
  http: http.Agent | false;
  https: https.Agent | false;
}

function agentsFor(keepAlive: boolean | undefined): Agents {
  if (!keepAlive) return { http: false, https: false };
  const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Marks an error raised by our own lookup hook so it is reported as such, not as a DNS failure. */
class BlockedLookup extends Error {
  constructor(readonly error: MediawatchError) {
    super(error.message);
  }
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const agents = agentsFor(opts.keepAlive);
  return {
    async request(url, req) {
      const deadline = performance.now() + req.totalTimeoutMs;
      let current: URL;
      try {
        current = new URL(url);
      } catch {
        return fail(new MediawatchError('bad-url', `"${url}" is not a URL`, { details: { url } }));
      }
      let method = (req.method ?? 'GET').toUpperCase();
      let body = req.body;
      const headers = { ...req.headers };
      for (let redirects = 0, stale = 0; ; redirects++) {
        const checked = checkUrl(current, opts.policy);
        if (!checked.ok) return checked;
        const remaining = Math.floor(deadline - performance.now());
        if (remaining <= 0) return fail(timeoutError(current.href, req.totalTimeoutMs));
        const res = await exchange(
          current,
          { ...req, method, headers, body, totalTimeoutMs: remaining },
          opts,
          agents,
          redirects,
          req.totalTimeoutMs,
        );
        if (!res.ok && res.error.details.staleSocket && stale++ < STALE_RETRIES) {
          redirects--; // the same hop again
          continue;
        }
        if (!res.ok) return res;
        const location = res.value.headers.location;
        if (!REDIRECTS.has(res.value.status) || req.maxRedirects === 0 || location === undefined) return res;
        if (redirects >= req.maxRedirects) {
          return fail(
            new MediawatchError('too-many-redirects', `more than ${req.maxRedirects} redirects from ${url}`, {
              details: { url, finalUrl: current.href },
            }),
          );
        }
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          return fail(
            new MediawatchError('bad-url', `redirect to "${location}" is not a URL`, {
              details: { url: current.href },
            }),
          );
        }
        // Browsers turn these into a GET without a body; servers expect the same from us.
        if (
          res.value.status === 303 ||
          ((res.value.status === 301 || res.value.status === 302) && method === 'POST')
        ) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
        }
        if (next.origin !== current.origin) {
          for (const name of Object.keys(headers)) {
            if (['authorization', 'cookie'].includes(name.toLowerCase())) delete headers[name];
          }
        }
        current = next;
      }
    },
    close() {
      for (const agent of [agents.http, agents.https]) if (agent) agent.destroy();
    },
  };
}

function checkUrl(url: URL, policy: AddressPolicy): Result<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(
      new MediawatchError('bad-url', `${url.protocol} URLs are not fetched (only http and https)`, {
        details: { url: url.href },
      }),
    );
  }
  const checked = policy.check(url.hostname);
  if (!checked.ok) return fail(withUrl(checked.error, url.href));
  return ok(undefined);
}

function withUrl(err: MediawatchError, url: string): MediawatchError {
  return new MediawatchError(err.code, err.message, {
    retryable: err.retryable,
    details: { ...err.details, url },
  });
}

function timeoutError(url: string, ms: number, phase = 'total'): MediawatchError {
  return new MediawatchError('timeout', `${phase} timeout of ${ms} ms reached for ${url}`, {
    retryable: true,
    details: { url, phase },
  });
}

/** A DNS lookup that refuses every answer the address policy does not allow (for sockets of other protocols too). */
export function policyLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const checked = policy.check(hostname, a.address);
        if (!checked.ok) return callback(new BlockedLookup(checked.error), '', 0);
      }
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** A socket or TLS error as a MediawatchError naming `url`. */
export function classify(err: unknown, url: string): MediawatchError {
  if (err instanceof MediawatchError) return err;
  if (err instanceof BlockedLookup) return withUrl(err.error, url);
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const message = `${e?.message ?? String(err)} (${url})`;
  const make = (c: ErrorCode, retryable: boolean) =>
    new MediawatchError(c, message, { retryable, cause: err, details: { url, errno: code } });
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME'].includes(code))
    return make('dns', true);
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/.test(code) ||
    /SSL|TLS/.test(e?.message ?? '')
  )
    return make('tls', true);
  // zlib reports Z_*, brotli ERR__ERROR_* (e.g. ERR__ERROR_FORMAT_PADDING_1).
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB') || code.startsWith('ERR__ERROR_'))
    return make('decode', false);
  if (code === 'ERR_INVALID_URL' || code === 'ERR_INVALID_CHAR' || code === 'ERR_UNESCAPED_CHARACTERS')
    return make('bad-url', false);
  return make('connect', true);
}

function flattenHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function decoderFor(
  encoding: string,
  firstChunk: Buffer,
): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | undefined {
  const enc = encoding.trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') return zlib.createGunzip();
  // Some servers send raw deflate under "deflate"; a zlib header has CM=8 in its low nibble.
  if (enc === 'deflate') return (firstChunk[0] & 0x0f) === 8 ? zlib.createInflate() : zlib.createInflateRaw();
  if (enc === 'br') return zlib.createBrotliDecompress();
  // Unasked-for gzip: a gzipped body without Content-Encoding (e.g. a static .xml.gz).
  if (
    (enc === '' || enc === 'identity') &&
    firstChunk[0] === GZIP_MAGIC[0] &&
    firstChunk[1] === GZIP_MAGIC[1]
  )
    return zlib.createGunzip();
  return undefined;
}

type ExchangeOptions = RequestOptions & { method: string; headers: Record<string, string> };

/** One request/response, on a fresh connection or (keep-alive) a pooled one. */
function exchange(
  url: URL,
  req: ExchangeOptions,
  opts: HttpClientOptions,
  agents: Agents,
  redirects: number,
  totalBudgetMs: number,
): Promise<Result<HttpResponse>> {
  return new Promise((resolve) => {
    const decompress = req.decompress ?? true;
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent,
      ...(decompress ? { 'accept-encoding': 'gzip, deflate, br' } : {}),
      ...lowerKeys(req.headers),
    };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const secure = url.protocol === 'https:';
    const lib = secure ? https : http;
    let settled = false;
    let responded = false;
    const streams: Readable[] = [];

    /** `complete`: the response was read to its end, so a kept-alive socket can serve the next request. */
    const finish = (result: Result<HttpResponse>, complete = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      req.signal?.removeEventListener('abort', onAbort);
      if (!complete || !agent) {
        for (const s of streams) s.destroy();
        request.destroy();
      }
      resolve(result);
    };
    const onAbort = () =>
      finish(
        fail(
          new MediawatchError('timeout', `request to ${url.href} was aborted`, {
            retryable: true,
            details: { url: url.href, phase: 'aborted' },
          }),
        ),
      );

    const agent = secure ? agents.https : agents.http;
    const request = lib.request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers,
      agent,
      lookup: policyLookup(opts.policy),
      ...(url.username
        ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
        : {}),
    });
    const totalTimer = setTimeout(
      () => finish(fail(timeoutError(url.href, totalBudgetMs))),
      req.totalTimeoutMs,
    );
    const connectTimer = setTimeout(
      () => finish(fail(timeoutError(url.href, req.connectTimeoutMs, 'connect'))),
      req.connectTimeoutMs,
    );
    if (req.signal?.aborted) return onAbort();
    req.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket) => {
      const connected = () => clearTimeout(connectTimer);
      // A pooled socket is connected already and will not say so again.
      if (!socket.connecting && request.reusedSocket) return connected();
      socket.once(secure ? 'secureConnect' : 'connect', connected);
    });
    request.on('error', (err) => {
      const error = classify(err, url.href);
      const stale = request.reusedSocket && !responded && STALE_SOCKET_CODES.has(String(error.details.errno));
      finish(
        fail(
          stale
            ? new MediawatchError(error.code, error.message, {
                retryable: true,
                cause: err,
                details: { ...error.details, staleSocket: true },
              })
            : error,
        ),
      );
    });
    request.on('response', (res) => {
      responded = true;
      clearTimeout(connectTimer);
      streams.push(res);
      const resHeaders = flattenHeaders(res.headers);
      const status = res.statusCode ?? 0;
      const tooLarge = () =>
        finish(
          fail(
            new MediawatchError('too-large', `body of ${url.href} is larger than ${req.maxBytes} bytes`, {
              details: { url: url.href, maxBytes: req.maxBytes, status },
            }),
          ),
        );
      const encoding = resHeaders['content-encoding'] ?? '';
      const declared = Number(resHeaders['content-length']);
      if (
        (encoding === '' || encoding === 'identity') &&
        Number.isFinite(declared) &&
        declared > req.maxBytes
      )
        return tooLarge();
      // A redirect we will follow: its body is irrelevant.
      if (REDIRECTS.has(status) && req.maxRedirects > 0 && resHeaders.location !== undefined) {
        return finish(
          ok({ status, headers: resHeaders, body: Buffer.alloc(0), finalUrl: url.href, redirects }),
        );
      }

      const chunks: Buffer[] = [];
      let size = 0;
      const collect = (chunk: Buffer) => {
        size += chunk.length;
        if (size > req.maxBytes) return tooLarge();
        chunks.push(chunk);
      };
      const done = () =>
        finish(
          ok({
            status,
            headers: resHeaders,
            body: Buffer.concat(chunks, size),
            finalUrl: url.href,
            redirects,
          }),
          true,
        );
      const onError = (err: unknown) => finish(fail(classify(err, url.href)));
      res.on('error', onError);
      res.on('aborted', () =>
        onError(Object.assign(new Error('response aborted by the server'), { code: 'ECONNRESET' })),
      );

      let decided = false;
      const decide = (first: Buffer | undefined) => {
        decided = true;
        const decoder = decompress && first && first.length > 0 ? decoderFor(encoding, first) : undefined;
        if (!decoder) {
          if (first) collect(first);
          res.on('data', collect);
          res.on('end', done);
          return;
        }
        streams.push(decoder);
        decoder.on('data', collect);
        decoder.on('end', done);
        decoder.on('error', onError);
        if (first) decoder.write(first);
        res.pipe(decoder);
      };
      res.once('data', (first: Buffer) => {
        if (!decided) {
          res.pause();
          decide(first);
          res.resume();
        }
      });
      res.once('end', () => {
        if (!decided) {
          decide(undefined);
          done();
        }
      });
    });
    request.end(req.body);
  });
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}
