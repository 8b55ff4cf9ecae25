/** The operator commands, run as a user runs them: the compiled `mediawatch` against a real Redis. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor } from '../../helpers/loopback.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { ROOT, startService, writeConfig } from '../../helpers/service.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function mediawatch(args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/bin/mediawatch.js'), ...args], {
    cwd: ROOT, encoding: 'utf8', input: opts.input, env: { PATH: process.env.PATH ?? '', ...opts.env }, timeout: 20_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const WATCHES = `watches:
  - { id: macron, label: Emmanuel Macron, terms: ["Emmanuel Macron", "Macron"] }
  - { id: putin, label: Vladimir Putin, terms: ["Putin"], exclude: ["Putin Street"] }
`;

describe('mediawatch check-config', () => {
  it('prints a summary of a valid config and exits 0', () => {
    const r = mediawatch(['check-config', 'config/mediawatch.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/config\/mediawatch\.yaml: OK/);
    expect(r.out).toMatch(/security-guarantees/);
    expect(r.out).toMatch(/\(disabled: empty URL\)/);
  });

  it('names the file, line and field of every problem and exits 1', () => {
    const file = writeConfig(`schedule: "61 * * * *"\n${WATCHES}webhooks:\n  - { id: h, url: "https://x.example/h", secret: "whsec_c2hvcnQ=", watches: [nobody] }\n`);
    const r = mediawatch(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/line 1, schedule: "61 \* \* \* \*" is not a valid cron/);
    expect(r.err).toMatch(/webhooks\[0\]\.secret: decodes to 5 bytes/);
    expect(r.err).toMatch(/webhooks\[0\]\.watches\[0\]: no watch has the id "nobody"/);
  });

  it('says so when the file does not exist', () => {
    const r = mediawatch(['check-config', '/nonexistent/mw.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\/nonexistent\/mw\.yaml: .*cannot read the file/);
  });
});

describe('mediawatch match', () => {
  const file = writeConfig(WATCHES);

  it('prints the watches and hits found in a text', () => {
    const r = mediawatch(['match', '--config', file, '-'], { input: "Mr. Putin met Mr. Macron. Traffic was diverted along Putin Street." });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^macron \(Emmanuel Macron\): 1 hit/m);
    expect(r.out).toMatch(/^putin \(Vladimir Putin\): 1 hit/m);
  });

  it('back-tests JSON lines, one result line per input line, and names a bad line', () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Macron speaks', text: 'nothing else' }),
      'not json',
      JSON.stringify({ id: 'c', title: '', text: 'Bakeries sold macarons.' }),
    ].join('\n');
    const r = mediawatch(['match', '--config', file, '--jsonl'], { input });
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ id: 'a', watches: ['macron'] });
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/not JSON/) });
    expect(lines[2]).toMatchObject({ id: 'c', watches: [] });
  });
});

describe('mediawatch alerts', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('lists alerts that failed for good and sends them again on replay', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    let accept = false;
    const hook = await startReceiver(secret, () => (accept ? 200 : 400));
    feeds.set('/f.xml', { body: '<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>Macron in Rome</title><link>https://x.example/1</link></item></channel></rss>' });
    const file = writeConfig(`schedule: "* * * * * *"\nnetwork: { allowPrivateAddresses: true }\nfeeds: [{ id: f, url: "${feeds.url('/f.xml')}" }]\n${WATCHES}webhooks: [{ id: h, url: "${hook.url}", secret: "${secret}" }]\n`);
    const env = { MEDIAWATCH_CONFIG: file, REDIS_URL: redis.url };
    const svc = await startService({ config: file, redisUrl: redis.url });
    try {
      await waitFor(() => mediawatch(['alerts', 'failed'], { env }).out.includes('webhook=h'), 30_000, 'a failed alert');
      const listed = mediawatch(['alerts', 'failed'], { env });
      expect(listed.out).toMatch(/Macron in Rome/);
      expect(listed.out).toMatch(/HTTP 400/);
      const id = listed.out.split(/\s+/)[0];

      accept = true;
      const replay = mediawatch(['alerts', 'replay', id], { env });
      expect(replay.code).toBe(0);
      await waitFor(() => hook.delivered().length === 1, 10_000, 'replayed delivery');
      expect(hook.delivered()[0].headers['webhook-id']).toBe(id);
      expect(mediawatch(['alerts', 'failed'], { env }).out).toMatch(/no failed alerts/);
    } finally {
      await svc.stop();
      await feeds.close();
      await hook.close();
    }
  }, 90_000);

  it('exits 2 with the usage for an unknown subcommand', () => {
    const r = mediawatch(['alerts', 'explode']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: mediawatch alerts failed/);
  });
});
