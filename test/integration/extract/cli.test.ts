/** `mediawatch extract`, run as a user runs it: the compiled CLI against a loopback web server. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer } from '../../helpers/loopback.js';
import { ROOT, writeConfig } from '../../helpers/service.js';

function mediawatch(args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', MEDIAWATCH_CONFIG: path.join(os.tmpdir(), 'no-such-config.yaml') },
    timeout: 30_000,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

const STORY = Array.from(
  { length: 4 },
  (_, i) =>
    `<p>Absatz ${i + 1}: Der Stadtrat hat am Dienstag die Verlängerung der Straßenbahn beschlossen, nach drei Jahren Streit über Kosten und Trasse.</p>`,
).join('');
const PAGE = `<html lang="de"><head><meta charset="iso-8859-1"><title>Stadtrat beschließt längere Straßenbahn</title>
<link rel="canonical" href="/stadt/strassenbahn"><meta property="article:published_time" content="2026-03-12T09:00:00Z"><meta name="author" content="Erika Muster"></head>
<body><nav><a href="/">Start</a></nav><article>${STORY}</article></body></html>`;

describe('mediawatch extract', () => {
  let server: Awaited<ReturnType<typeof startFeedServer>>;
  let config: string;
  beforeAll(async () => {
    server = await startFeedServer();
    server.set('/stadt/strassenbahn?ref=feed', { body: iconv.encode(PAGE, 'latin1'), type: 'text/html' });
    server.set('/report.pdf', { body: '%PDF-1.7', type: 'application/pdf' });
    config = writeConfig(
      'watches:\n  - { id: w, terms: [Straßenbahn] }\nnetwork:\n  allowHosts: ["127.0.0.1"]\n',
    );
  });
  afterAll(() => server.close());

  it('fetches a page and prints its title, metadata and article text', async () => {
    const r = await mediawatch(['extract', server.url('/stadt/strassenbahn?ref=feed'), '--config', config]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('title: Stadtrat beschließt längere Straßenbahn');
    expect(r.out).toContain(`canonical: ${server.url('/stadt/strassenbahn')}`);
    expect(r.out).toContain('published: 2026-03-12T09:00:00.000Z');
    expect(r.out).toContain('lang: de');
    expect(r.out).toContain(
      'Absatz 4: Der Stadtrat hat am Dienstag die Verlängerung der Straßenbahn beschlossen',
    );
    expect(server.hits.at(-1)?.headers['user-agent']).toMatch(/^mediawatch\//);
  });

  it('refuses a loopback address under the default network policy', async () => {
    const r = await mediawatch(['extract', server.url('/stadt/strassenbahn?ref=feed')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/127\.0\.0\.1/);
  });

  it('names the kind of problem when a URL is not an HTML page', async () => {
    const r = await mediawatch(['extract', server.url('/report.pdf'), '--config', config]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^not-html: .*report\.pdf/);
  });

  it('reads a saved page from a file, with --url for its links', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-page-')), 'page.html');
    fs.writeFileSync(file, iconv.encode(PAGE, 'latin1'));
    const r = await mediawatch(['extract', file, '--url', 'https://stadt.example/a/b']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('canonical: https://stadt.example/stadt/strassenbahn');
    expect(r.out).toContain('encoding: iso-8859-1');
    expect(r.out).toContain('Verlängerung der Straßenbahn');
  });

  it('maps JSON lines of pages to JSON lines of articles, one per line, bad lines included', async () => {
    const input = [JSON.stringify({ id: 1, url: 'https://stadt.example/a', html: PAGE }), 'nonsense'].join(
      '\n',
    );
    const r = await mediawatch(['extract', '--jsonl'], input);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ id: 1, byline: 'Erika Muster', lang: 'de' });
    expect(lines[1]).toMatchObject({ id: null, text: '', errorKind: 'bad-line' });
  });
});
