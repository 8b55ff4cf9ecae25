import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../../../src/net/address-policy.js';
import { createHttpClient, type RequestOptions } from '../../../src/net/http-client.js';
import { waitFor } from '../../helpers/wait.js';

const BROTLI_BOMB = zlib.brotliCompressSync(Buffer.alloc(20 * 1024 * 1024), {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
});
const sockets = new Set<Socket>();
let base = '';
const server = http.createServer((req, res) => {
  const path = req.url ?? '/';
  if (path === '/plain') return void res.end(`hello ${req.headers['user-agent']}`);
  if (path === '/gzip') {
    res.setHeader('content-encoding', 'gzip');
    return void res.end(zlib.gzipSync('zipped hello'));
  }
  if (path === '/deflate-raw' || path === '/deflate-zlib' || path === '/br') {
    res.setHeader('content-encoding', path === '/br' ? 'br' : 'deflate');
    const body = Buffer.from('squeezed hello');
    return void res.end(
      path === '/br'
        ? zlib.brotliCompressSync(body)
        : path === '/deflate-raw'
          ? zlib.deflateRawSync(body)
          : zlib.deflateSync(body),
    );
  }
  if (path === '/br-bomb') {
    res.setHeader('content-encoding', 'br');
    return void res.end(BROTLI_BOMB);
  }
  if (path === '/hang') return;
  if (path === '/corrupt-gzip') {
    res.setHeader('content-encoding', 'gzip');
    return void res.end(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]));
  }
  if (path === '/to-metadata') {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    return void res.end();
  }
  if (path === '/to-plain') {
    res.writeHead(301, { location: '/plain' });
    return void res.end();
  }
  if (path === '/echo') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.end(`${req.method} ${body}`));
    return;
  }
  res.writeHead(404).end('no');
});
server.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = createHttpClient({
  policy: createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['127.0.0.1'] }),
  userAgent: 'mw-test',
});
const strict = createHttpClient({
  policy: createAddressPolicy({ allowPrivateAddresses: false, allowHosts: [] }),
  userAgent: 'mw-test',
});
const opts: RequestOptions = {
  connectTimeoutMs: 1000,
  totalTimeoutMs: 3000,
  maxBytes: 1_000_000,
  maxRedirects: 3,
};

describe('http client', () => {
  it('returns the status, headers and body and sends the configured User-Agent', async () => {
    const r = await client.request(`${base}/plain`, opts);
    expect(r.ok && r.value.status).toBe(200);
    expect(r.ok && r.value.body.toString()).toBe('hello mw-test');
    expect(r.ok && r.value.headers['content-length']).toBe('13');
  });

  it('undoes gzip content encoding', async () => {
    const r = await client.request(`${base}/gzip`, opts);
    expect(r.ok && r.value.body.toString()).toBe('zipped hello');
  });

  it.each(['/deflate-raw', '/deflate-zlib', '/br'])('undoes %s content encoding', async (path) => {
    const r = await client.request(`${base}${path}`, opts);
    expect(r.ok && r.value.body.toString()).toBe('squeezed hello');
  });

  it('stops a brotli bomb at the byte cap, counted after decompression', async () => {
    const r = await client.request(`${base}/br-bomb`, { ...opts, maxBytes: 1024 * 1024 });
    expect(!r.ok && r.error.code).toBe('too-large');
  });

  it('reports a corrupt gzip body as a decode error, not a crash', async () => {
    const r = await client.request(`${base}/corrupt-gzip`, opts);
    expect(!r.ok && r.error.code).toBe('decode');
  });

  it('returns the compressed bytes untouched when decompression is off', async () => {
    const r = await client.request(`${base}/gzip`, { ...opts, decompress: false });
    expect(r.ok && zlib.gunzipSync(r.value.body).toString()).toBe('zipped hello');
  });

  it('ends a request when its signal aborts, closing the connection', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await client.request(`${base}/hang`, { ...opts, signal: controller.signal });
    expect(!r.ok && r.error.code).toBe('timeout');
    await waitFor(() => sockets.size === 0, 2_000, 'the aborted connection to close', 10);
  });

  it('follows a redirect and reports the final URL and hop count', async () => {
    const r = await client.request(`${base}/to-plain`, opts);
    expect(r.ok && r.value.finalUrl).toBe(`${base}/plain`);
    expect(r.ok && r.value.redirects).toBe(1);
  });

  it('returns a redirect as the response when maxRedirects is 0', async () => {
    const r = await client.request(`${base}/to-plain`, { ...opts, maxRedirects: 0 });
    expect(r.ok && r.value.status).toBe(301);
    expect(r.ok && r.value.headers.location).toBe('/plain');
  });

  it('refuses a redirect to the cloud metadata address without connecting to it', async () => {
    const r = await client.request(`${base}/to-metadata`, opts);
    expect(!r.ok && r.error.code).toBe('blocked-address');
    expect(!r.ok && r.error.retryable).toBe(false);
  });

  it('sends a POST body', async () => {
    const r = await client.request(`${base}/echo`, {
      ...opts,
      method: 'POST',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.ok && r.value.body.toString()).toBe('POST {"a":1}');
  });

  it.each([
    ['http://localhost:1/', 'blocked-address'],
    ['http://127.1:1/', 'blocked-address'],
    ['http://0x7f000001:1/', 'blocked-address'],
    ['http://2130706433:1/', 'blocked-address'],
    ['http://[::ffff:10.0.0.1]/', 'blocked-address'],
    ['ftp://example.com/', 'bad-url'],
    ['not a url', 'bad-url'],
  ])('with the default policy, refuses %s with %s', async (url, code) => {
    const r = await strict.request(url, opts);
    expect(!r.ok && r.error.code).toBe(code);
  });

  it('leaves no open connection behind', async () => {
    await client.request(`${base}/plain`, opts);
    await waitFor(() => sockets.size === 0, 2_000, 'the connection to close', 10);
  });
});

describe('http client with keep-alive', () => {
  const pooled = createHttpClient({
    policy: createAddressPolicy({ allowPrivateAddresses: false, allowHosts: ['127.0.0.1'] }),
    userAgent: 'mw-test',
    keepAlive: true,
  });

  /** A server that answers one request per connection, then drops the connection when the next one arrives on it. */
  async function oneAnswerPerConnection(): Promise<{
    url: string;
    connections: () => number;
    answered: () => number;
    close: () => Promise<void>;
  }> {
    let connections = 0;
    let answered = 0;
    const open = new Set<Socket>();
    const raw = net.createServer((socket) => {
      connections++;
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.once('data', () => {
        answered++;
        socket.write('HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n');
        socket.once('data', () => socket.destroy());
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/hook`,
      connections: () => connections,
      answered: () => answered,
      close: () =>
        new Promise((r) => {
          for (const s of open) s.destroy();
          raw.close(() => r());
        }),
    };
  }

  it('sends consecutive requests to one origin over one connection', async () => {
    const before = sockets.size;
    let connections = 0;
    const count = () => connections++;
    server.on('connection', count);
    try {
      for (let i = 0; i < 5; i++) {
        const r = await pooled.request(`${base}/echo`, { ...opts, method: 'POST', body: `n${i}` });
        expect(r.ok && r.value.body.toString()).toBe(`POST n${i}`);
      }
    } finally {
      server.off('connection', count);
    }
    expect(connections).toBe(1);
    expect(sockets.size).toBe(before + 1); // kept open for the next request
    pooled.close();
    await waitFor(() => sockets.size === before, 2_000, 'the kept-alive connection to close', 10);
  });

  it('sends a request again on a fresh connection when the server closed the reused one as it was sent', async () => {
    const peer = await oneAnswerPerConnection();
    try {
      const first = await pooled.request(peer.url, { ...opts, method: 'POST', body: 'a' });
      const second = await pooled.request(peer.url, { ...opts, method: 'POST', body: 'b' });
      expect([first.ok && first.value.status, second.ok && second.value.status]).toEqual([204, 204]);
      expect(peer.connections()).toBe(2);
      expect(peer.answered()).toBe(2);
    } finally {
      await peer.close();
    }
  });

  it('does not send again when a fresh connection fails', async () => {
    let connections = 0;
    const raw = net.createServer((socket) => {
      connections++;
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const r = await pooled.request(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/`, {
        ...opts,
        method: 'POST',
        body: 'x',
      });
      expect(!r.ok && r.error.code).toBe('connect');
      expect(connections).toBe(1);
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });
});
