/** The operator commands, run as a user runs them: the compiled `mediawatch` against a real Redis. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor } from '../../helpers/loopback.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { mediawatch } from '../../helpers/cli.js';
import { ROOT, startService, writeConfig } from '../../helpers/service.js';

const WATCHES = `watches:
  - { id: macron, label: Emmanuel Macron, terms: ["Emmanuel Macron", "Macron"] }
  - { id: putin, label: Vladimir Putin, terms: ["Putin"], exclude: ["Putin Street"] }
`;

describe('mediawatch check-config', () => {
  it('prints a summary of a valid config and exits 0', async () => {
    const r = await mediawatch(['check-config', 'config/mediawatch.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/config\/mediawatch\.yaml: OK/);
    expect(r.out).toMatch(/security-guarantees/);
    expect(r.out).toMatch(/\(disabled: empty URL\)/);
  });

  it('names the file, line and field of every problem and exits 1', async () => {
    const file = writeConfig(
      `schedule: "61 * * * *"\n${WATCHES}webhooks:\n  - { id: h, url: "https://x.example/h", secret: "whsec_c2hvcnQ=", watches: [nobody] }\n`,
    );
    const r = await mediawatch(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/line 1, schedule: "61 \* \* \* \*" is not a valid cron/);
    expect(r.err).toMatch(/webhooks\[0\]\.secret: decodes to 5 bytes/);
    expect(r.err).toMatch(/webhooks\[0\]\.watches\[0\]: no watch has the id "nobody"/);
  });

  it("prints a webhook's URL with its signature and tokens masked", async () => {
    const teams =
      'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGsecret42';
    const file = writeConfig(
      `${WATCHES}webhooks:\n  - { id: teams, format: teams, url: "${teams}" }\n` +
        `  - { id: desk, url: "https://hooks.example.org/mw?token=TOKsecret42", secret: "${newSecret()}" }\n`,
    );
    const r = await mediawatch(['check-config', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('invoke?api-version=2016-06-01&sig=[redacted]  teams');
    expect(r.out).toContain('https://hooks.example.org/mw?token=[redacted]  standard');
    expect(r.out + r.err).not.toMatch(/SIGsecret42|TOKsecret42/);
  });

  it('says so when the file does not exist', async () => {
    const r = await mediawatch(['check-config', '/nonexistent/mw.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\/nonexistent\/mw\.yaml: .*cannot read the file/);
  });
});

describe('mediawatch match', () => {
  const file = writeConfig(WATCHES);

  it('prints the watches and hits found in a text', async () => {
    const r = await mediawatch(['match', '--config', file, '-'], {
      input: 'Mr. Putin met Mr. Macron. Traffic was diverted along Putin Street.',
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^macron \(Emmanuel Macron\): 1 hit/m);
    expect(r.out).toMatch(/^putin \(Vladimir Putin\): 1 hit/m);
  });

  it('back-tests JSON lines, one result line per input line, and names a bad line', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Macron speaks', text: 'nothing else' }),
      'not json',
      JSON.stringify({ id: 'c', title: '', text: 'Bakeries sold macarons.' }),
    ].join('\n');
    const r = await mediawatch(['match', '--config', file, '--jsonl'], { input });
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
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

  it('lists alerts that failed for good and sends them again on replay, lifting a 410 Gone mark', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    let accept = false;
    const hook = await startReceiver(secret, () => (accept ? 200 : 410));
    // Two alerts of one poll travel in one delivery job; both are refused on their first try.
    const items = ['Macron in Rome', 'Macron in Paris'].map(
      (t, i) => `<item><guid>${i}</guid><title>${t}</title><link>https://x.example/${i}</link></item>`,
    );
    feeds.set('/f.xml', {
      body: `<rss version="2.0"><channel><title>t</title>${items.join('')}</channel></rss>`,
    });
    const file = writeConfig(
      `schedule: "* * * * * *"\nnetwork: { allowPrivateAddresses: true }\nfeeds: [{ id: f, url: "${feeds.url('/f.xml')}" }]\n${WATCHES}webhooks: [{ id: h, url: "${hook.url}", secret: "${secret}" }]\n`,
    );
    const env = { MEDIAWATCH_CONFIG: file, REDIS_URL: redis.url };
    const svc = await startService({ config: file, redisUrl: redis.url });
    try {
      const failedIds = async () =>
        (await mediawatch(['alerts', 'failed'], { env })).out.match(/^msg_\S+/gm) ?? [];
      await waitFor(async () => (await failedIds()).length === 2, 30_000, 'two failed alerts');
      const listed = await mediawatch(['alerts', 'failed'], { env });
      expect(listed.out).toMatch(/Macron in Rome/);
      expect(listed.out).toMatch(/answered 410 Gone/);

      accept = true;
      const replay = await mediawatch(['alerts', 'replay', '--all'], { env });
      expect(replay.code).toBe(0);
      await waitFor(() => hook.delivered().length === 2, 10_000, 'replayed deliveries');
      expect(
        hook
          .delivered()
          .map((r) => r.headers['webhook-id'])
          .sort(),
      ).toEqual((listed.out.match(/^msg_\S+/gm) ?? []).sort());
      expect((await mediawatch(['alerts', 'failed'], { env })).out).toMatch(/no failed alerts/);
    } finally {
      await svc.stop();
      await feeds.close();
      await hook.close();
    }
  }, 90_000);

  it('exits 2 with the usage for an unknown subcommand', async () => {
    const r = await mediawatch(['alerts', 'explode']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: mediawatch alerts failed/);
  });
});

describe('mediawatch feeds', () => {
  it('checks a feed before it is added: format, encoding, items', async () => {
    const feeds = await startFeedServer();
    feeds.set('/seed.xml', { body: fs.readFileSync(path.join(ROOT, 'test/fixtures/seed/seed-feed.rss')) });
    const file = writeConfig(`network: { allowPrivateAddresses: true }\n${WATCHES}`);
    try {
      const r = await mediawatch(['feeds', 'check', feeds.url('/seed.xml'), '--config', file]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/HTTP 200/);
      expect(r.out).toMatch(/format rss {2}encoding utf-8 {2}items 3/);
      expect(r.out).toMatch(/Security guarantees for Russia/);
    } finally {
      await feeds.close();
    }
  });

  it('refuses a loopback feed unless the config allows private addresses', async () => {
    const file = writeConfig(WATCHES);
    const r = await mediawatch(['feeds', 'check', 'http://127.0.0.1:9/feed.xml', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/blocked-address/);
  });

  it('imports an OPML list into the config, skipping feeds it already has', async () => {
    const file = writeConfig(
      `feeds:\n  - id: world\n    url: https://news.example.org/world.rss\n${WATCHES}`,
    );
    const opml = path.join(path.dirname(file), 'subs.opml');
    fs.writeFileSync(
      opml,
      `<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
<outline text="News"><outline type="rss" text="World" xmlUrl="https://news.example.org/world.rss"/>
<outline type="rss" text="Le Monde – International" xmlUrl="https://lemonde.example/international/rss.xml"/></outline>
</body></opml>`,
    );
    const r = await mediawatch(['feeds', 'import', opml, '--config', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/added 1 feed\(s\).*\(1 already there\)/);
    const check = await mediawatch(['check-config', file]);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/https:\/\/lemonde\.example\/international\/rss\.xml/);
  });
});

describe('mediawatch backtest and stories', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('tries a new watch on the items already seen, and shows the outlets of a story', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    feeds.set('/seed.xml', { body: fs.readFileSync(path.join(ROOT, 'test/fixtures/seed/seed-feed.rss')) });
    const config = (watches: string) =>
      writeConfig(
        `schedule: "* * * * * *"\nnetwork: { allowPrivateAddresses: true }\nfeeds: [{ id: world, url: "${feeds.url('/seed.xml')}" }]\n${watches}webhooks: [{ id: h, url: "${hook.url}", secret: "${secret}" }]\n`,
      );
    const svc = await startService({ config: config(WATCHES), redisUrl: redis.url });
    try {
      await waitFor(() => hook.delivered().length > 0, 30_000, 'the seed alert');
      await waitFor(
        async () => (await redis.client().xlen('mw:backtest:items')) >= 3,
        10_000,
        'items recorded',
      );
      const env = { REDIS_URL: redis.url };
      const trial = config(
        'watches:\n  - { id: bucharest, label: Bucharest, query: "Bucharest OR Budapest" }\n',
      );
      const r = await mediawatch(['backtest', '--config', trial, '--since', '1h'], { env });
      expect(r.err).toBe('');
      expect(r.out).toMatch(/backtest over 3 item\(s\)/);
      expect(r.out).toMatch(/bucharest: 2 item\(s\)/);
      expect(r.out).toMatch(/«Budapest» Memorandum/);

      const storyId = hook.delivered()[0].json.data.storyId;
      const story = await mediawatch(['stories', 'show', storyId], {
        env: { ...env, MEDIAWATCH_CONFIG: trial },
      });
      expect(story.code).toBe(0);
      expect(story.out).toMatch(/outlets \(1\):\n.*world/);
    } finally {
      await svc.stop();
      await feeds.close();
      await hook.close();
    }
  }, 90_000);
});
