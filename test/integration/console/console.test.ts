/**
 * The console end to end, in headless Chromium against the real service (API and console on its
 * port, a private Redis, a loopback feed and webhook receiver): log in with a token, create a
 * watch after a bad query is flagged under its field and the preview shows what it matches, save
 * it, and see the service alert on it for a new feed item; add a feed after checking it; list the
 * webhooks, a token in a URL masked. Each page is saved as a screenshot to docs/console/ for the
 * README (the alerts and webhooks pages by alerts.test.ts, which uses them).
 */
import type { AlertPayload } from '../../../src/contracts/webhook.js';
import { describe, expect, it } from 'vitest';
import { newSecret, startFeedServer, startReceiver, waitFor } from '../../helpers/loopback.js';
import { macronFeed, newsroomConfig } from '../../helpers/newsroom.js';
import { startService } from '../../helpers/service.js';
import { endToEnd } from '../../helpers/teardown.js';
import { logIn, openPage, PHONE, sharedBrowser, shot, writeToken } from './browser.js';

const TOKEN = 'console-test-token-4b1d9c7e2a';
/** A credential in the webhook's URL, as some receivers take one. */
const HOOK_TOKEN = 'hook-url-token-8c2f';
const API = writeToken('analyst', TOKEN);
const { redis: testRedis, teardown } = endToEnd();
const browser = sharedBrowser();

describe('the web console', () => {
  it('logs in with a token, previews and saves a watch, and shows the alert the service raises on it', async () => {
    const feeds = await startFeedServer();
    const secret = newSecret();
    const hook = await startReceiver(secret);
    teardown.close(feeds.close, hook.close);
    feeds.set('/world.xml', { body: macronFeed('world', 2).xml });
    const svc = await startService({
      config: newsroomConfig(
        [{ id: 'world', url: feeds.url('/world.xml') }],
        { url: `${hook.url}?token=${HOOK_TOKEN}`, secret },
        API,
      ),
      redisUrl: testRedis().url,
    });
    teardown.service(svc);
    // The first poll's items are recorded: the preview matches against them.
    await waitFor(() => hook.delivered().length >= 2, 45_000, 'the alerts of the first poll');

    const { page, errors } = await openPage(browser());
    await page.goto(`http://127.0.0.1:${svc.port}/console/`);
    await page.getByLabel('API token').waitFor();
    await shot(page, 'login');
    await logIn(page, svc, TOKEN);
    await page.getByRole('heading', { name: 'Watches', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByRole('link', { name: 'macron', exact: true }).waitFor();
    await shot(page, 'watches');

    await page.getByRole('link', { name: 'New watch' }).click();
    await page.getByLabel('Id').fill('visits');
    await page.getByLabel('Query').fill('Macron AND (visits');
    // The query's error, with its column, is shown under the field before anything is saved.
    const queryError = page.locator('#watch-query-error');
    await expect.poll(() => queryError.textContent(), { timeout: 15_000 }).toMatch(/\S/);
    expect(await page.getByLabel('Query').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Query').fill('Macron AND visits');
    await expect
      .poll(() => page.getByTestId('preview-count').textContent(), { timeout: 15_000 })
      .toMatch(/^2 items matched/);
    expect(await queryError.textContent()).toBe('');
    await shot(page, 'watch-editor');
    await page.setViewportSize(PHONE);
    await shot(page, 'watch-editor-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Create watch' }).click();
    await page.getByRole('link', { name: 'visits', exact: true }).waitFor();

    // A new item in the feed: the service alerts on the saved watch.
    const next = macronFeed('world', 3);
    feeds.set('/world.xml', { body: next.xml });
    await waitFor(
      () =>
        hook.delivered().some((d) => {
          const alert = (d.json as AlertPayload | null)?.data;
          return alert?.item.url === next.items[2].url && alert.watches.some((w) => w.id === 'visits');
        }),
      45_000,
      'an alert on the new watch for the new item',
    );

    await page.getByRole('link', { name: 'Feeds' }).click();
    await page.getByRole('cell', { name: 'world', exact: true }).waitFor();
    feeds.set('/europe.xml', { body: macronFeed('europe', 1).xml });
    await page.getByLabel('Feed URL').fill(feeds.url('/europe.xml'));
    await page.getByRole('button', { name: 'Check feed' }).click();
    // The check's outcome (the feed as mediawatch reads it, or the error under the URL) comes first.
    const outcome = page.locator('.notice.ok, #feed-url-error:not(:empty)').first();
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/^europe: rss.*, HTTP 200, 1 items\./);
    await page.getByLabel('Id', { exact: true }).fill('europe');
    await shot(page, 'feeds');
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('cell', { name: 'europe', exact: true }).waitFor();

    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('cell', { name: 'newsroom', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'set', exact: true }).count()).toBe(1);
    // The webhook URL's token is masked by the API the console reads.
    await page.getByRole('cell', { name: `${hook.url}?token=[redacted]`, exact: true }).waitFor();
    expect(await page.content()).not.toContain(HOOK_TOKEN);

    expect(errors).toEqual([]);
    expect(svc.log()).not.toContain(TOKEN);
    await page.context().close();
  }, 150_000);
});
