/** Editing the config of a running service: applied at once when valid, refused when not. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor } from '../../helpers/loopback.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { startService, writeConfig } from '../../helpers/service.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const feed = (
  items: { guid: string; title: string }[],
) => `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
${items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>https://x.example/${i.guid}</link></item>`).join('\n')}
</channel></rss>`;

describe('config hot reload', () => {
  it('applies a valid edit to the next items, and keeps the old config when an edit is invalid', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    feeds.set('/f.xml', { body: feed([{ guid: 'a', title: 'Macron visits Berlin' }]) });
    const yaml = (watches: string) => `
schedule: "* * * * * *"
network: { allowPrivateAddresses: true }
feeds: [{ id: f, url: "${feeds.url('/f.xml')}" }]
watches:
${watches}
webhooks: [{ id: h, url: "${hook.url}", secret: "${secret}", retry: [200ms] }]
`;
    const file = writeConfig(yaml('  - { id: macron, terms: [Macron] }'));
    const svc = await startService({ config: file, redisUrl: redis.url });
    try {
      await waitFor(() => hook.delivered().length === 1, 10_000, 'first alert');

      fs.writeFileSync(
        file,
        yaml('  - { id: macron, terms: [Macron] }\n  - { id: scholz, terms: [Scholz] }'),
      );
      await waitFor(() => svc.events().some((e) => e.msg === 'config reloaded'), 10_000, 'reload');
      feeds.set('/f.xml', {
        body: feed([
          { guid: 'a', title: 'Macron visits Berlin' },
          { guid: 'b', title: 'Scholz answers' },
        ]),
      });
      await waitFor(() => hook.delivered().length === 2, 10_000, 'alert for the new watch');
      expect(hook.delivered()[1].json.data.watches[0].id).toBe('scholz');

      fs.writeFileSync(file, yaml('  - { id: macron, terms: [Macron] }\n  - { id: Bad Id, terms: [x] }'));
      await waitFor(
        () => svc.events().some((e) => e.msg?.startsWith('config reload rejected')),
        10_000,
        'rejection',
      );
      expect(svc.events().find((e) => e.msg?.startsWith('config reload rejected'))?.err).toMatch(
        /watches\[1\]\.id/,
      );
      feeds.set('/f.xml', { body: feed([{ guid: 'c', title: 'Scholz and Macron meet' }]) });
      await waitFor(() => hook.delivered().length === 3, 10_000, 'alert under the old config');
      expect(svc.proc.exitCode).toBeNull();
    } finally {
      await svc.stop();
      await feeds.close();
      await hook.close();
    }
  });

  it('keeps the hourly rate counter under the prefix the service started with when an edit changes redisPrefix', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    feeds.set('/f.xml', { body: feed([{ guid: 'a', title: 'Macron visits Berlin' }]) });
    const yaml = (prefix: string) => `
redisPrefix: ${prefix}
schedule: "* * * * * *"
network: { allowPrivateAddresses: true }
feeds: [{ id: f, url: "${feeds.url('/f.xml')}" }]
watches: [{ id: macron, terms: [Macron] }]
webhooks: [{ id: h, url: "${hook.url}", secret: "${secret}", retry: [200ms], maxPerHour: 100 }]
`;
    const file = writeConfig(yaml('started'));
    const svc = await startService({ config: file, redisUrl: redis.url });
    const client = redis.client();
    try {
      await waitFor(() => hook.delivered().length === 1, 10_000, 'first alert');
      fs.writeFileSync(file, yaml('edited'));
      await waitFor(() => svc.events().some((e) => e.msg === 'config reloaded'), 10_000, 'reload');
      feeds.set('/f.xml', {
        body: feed([
          { guid: 'a', title: 'Macron visits Berlin' },
          { guid: 'b', title: 'Macron answers' },
        ]),
      });
      await waitFor(() => hook.delivered().length === 2, 10_000, 'alert after the edit');
      expect(svc.events().find((e) => e.msg?.startsWith('these config sections'))?.sections).toContain(
        'redisPrefix',
      );
      const counters = await client.keys('started:rate:*');
      expect(counters).toHaveLength(1);
      expect(await client.get(counters[0])).toBe('2');
      expect(await client.keys('edited*')).toEqual([]);
    } finally {
      await svc.stop();
      await feeds.close();
      await hook.close();
    }
  });
});
