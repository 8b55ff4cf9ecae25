/**
 * The console's alerts and webhooks pages and its refusals, in headless Chromium against the real
 * service: replay a failed alert and see it turn delivered, test-send to a webhook, a save from a
 * tab holding a stale version (412), and deleting a watch a webhook still names (409). The alerts
 * and webhooks pages are saved as screenshots to docs/console/.
 */
import { describe, expect, it } from 'vitest';
import type { AlertPayload } from '../../../src/contracts/webhook.js';
import { newSecret, startFeedServer, startReceiver, waitFor } from '../../helpers/loopback.js';
import { macronFeed, newsroomConfig } from '../../helpers/newsroom.js';
import { startService, type ServiceProcess } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';
import { logIn, openPage, sharedBrowser, shot, writeToken } from './browser.js';

const TOKEN = 'console-alerts-token-8e2f61c0d4';
const API = writeToken('editor', TOKEN);
const { redis: testRedis, teardown } = endToEnd();
const browser = sharedBrowser();

async function api(svc: ServiceProcess, method: string, route: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${svc.port}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { items: { state: string }[] } };
}

describe('the console’s alerts and webhooks', () => {
  it('replays a failed alert until it shows delivered, and test-sends a signed sample alert', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    let answer = 400;
    const hook = await startReceiver(secret, () => answer);
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: macronFeed('world', 2).xml });
    const svc = await startService({
      config: newsroomConfig(
        [{ id: 'world', url: feeds.url('/world.xml') }],
        { url: hook.url, secret, breakerThreshold: 100 },
        API,
      ),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);
    // The receiver refuses both alerts of the first poll (400: not retried).
    await waitFor(
      async () => {
        const { json } = await api(svc, 'GET', '/alerts?state=failed');
        return json.items.length === 2;
      },
      45_000,
      'two failed alerts',
    );

    const { page, errors } = await openPage(browser());
    await logIn(page, svc, TOKEN, '#/alerts');
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByLabel('Webhook').selectOption('newsroom');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/#\/alerts\?webhook=newsroom$/);
    const badges = page.locator('[data-alert]');
    await expect.poll(() => badges.allTextContents()).toEqual(['failed', 'failed']);
    await shot(page, 'alerts');

    answer = 200;
    const alertId = (await badges.first().getAttribute('data-alert'))!;
    const row = page.getByRole('row').filter({ has: page.locator(`[data-alert="${alertId}"]`) });
    await row.getByRole('button', { name: /^Replay the alert on / }).click();
    await expect
      .poll(() => page.locator(`[data-alert="${alertId}"]`).textContent(), { timeout: 30_000 })
      .toBe('delivered');
    const [replayed] = hook.delivered();
    expect(replayed.verified).toBe(true);
    expect((replayed.json as AlertPayload).data.alertId).toBe(alertId);
    expect(await row.getByRole('button').count()).toBe(0);

    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Send a test alert to newsroom' }).click();
    await page.getByText('Delivered: the webhook answered 200.').waitFor();
    // The replay's announcement has gone before the page is pictured.
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe('');
    const test = hook.delivered()[1];
    expect(test.verified).toBe(true);
    expect((test.json as AlertPayload).data.item.title).toMatch(/^Sample alert from mediawatch/);
    await shot(page, 'webhooks');

    expect(errors).toEqual([]);
    await page.context().close();
  }, 150_000);

  it('tells the second of two tabs that its save lost (412), and refuses to delete a watch a webhook names', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: macronFeed('world', 1).xml });
    const svc = await startService({
      config: newsroomConfig([{ id: 'world', url: feeds.url('/world.xml') }], { url: hook.url, secret }, API),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);
    const archive = { id: 'archive', url: hook.url, secret: newSecret(), watches: ['macron'] };
    expect((await api(svc, 'POST', '/webhooks', archive)).status).toBe(201);

    const tabs = await Promise.all([openPage(browser()), openPage(browser())]);
    for (const { page } of tabs) {
      await logIn(page, svc, TOKEN, '#/watches?edit=macron');
      await page.getByRole('heading', { name: 'Edit watch macron' }).waitFor();
    }
    const [first, second] = tabs.map((t) => t.page);
    await first.getByLabel('Label').fill('Macron (first tab)');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByRole('heading', { name: 'Watches', level: 1 }).waitFor();
    await second.getByLabel('Label').fill('Macron (second tab)');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await second
      .getByText('Someone else changed this watch since you opened it; nothing was saved.')
      .waitFor();
    const saved = await fetch(`http://127.0.0.1:${svc.port}/api/v1/watches/macron`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await saved.json()) as { label: string }).label).toBe('Macron (first tab)');

    await first.getByRole('link', { name: 'macron', exact: true }).click();
    await first.getByRole('heading', { name: 'Edit watch macron' }).waitFor();
    first.once('dialog', (dialog) => void dialog.accept());
    await first.getByRole('button', { name: 'Delete' }).click();
    const refusal = first.locator('#watch-id-error');
    await expect
      .poll(() => refusal.textContent(), { timeout: 15_000 })
      .toMatch(/named by the webhook "archive"/);
    expect((await api(svc, 'GET', '/watches/macron')).status).toBe(200);

    for (const { page, errors } of tabs) {
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 150_000);
});
