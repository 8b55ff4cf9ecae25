/**
 * The console's server part on a real fastify server and a real browser: the page and its files
 * are served with a policy that lets only them run, nothing else under /console is reachable, no
 * cookie is ever set, and the login form works from the keyboard.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../../../src/console/index.js';
import { ROOT } from '../../helpers/service.js';
import { launchBrowser, openPage } from './browser.js';

let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  app = Fastify();
  // The bundle as built (test/global-setup.ts compiles it): browsers run its JavaScript.
  await registerConsole(app, { assetsDir: path.join(ROOT, 'dist/src/console/assets') });
  // An API that refuses every token, as the real one does without the right one.
  app.get('/api/v1/whoami', (_req, reply) =>
    reply.code(401).send({ error: { code: 'unauthorized', message: 'no valid token', path: '' } }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the console server part', () => {
  it('serves the page at /console/ with a policy that allows only its own scripts and styles', async () => {
    const res = await fetch(`${base}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('<script type="module" src="main.js"></script>');
    expect(html).not.toMatch(/<script>|https?:\/\//);
  });

  it('redirects /console to /console/ so the page loads its files relative to it', async () => {
    const res = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it('serves the bundle’s modules and style sheet with their types', async () => {
    const js = await fetch(`${base}/console/main.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("from './api.js'");
    const css = await fetch(`${base}/console/console.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    '/console/index.js',
    '/console/main.js.map',
    '/console/..%2Fplugin.js',
    '/console/%2e%2e%2f%2e%2e%2fpackage.json',
  ])('answers 404 for %s: only the bundle’s own files are served', async (path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
  });
});

describe('the console in a browser without a valid token', () => {
  it('shows a labelled login form, focused, and says when a token is refused', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${base}/console/`);
    const token = page.getByLabel('API token');
    await expect.poll(() => token.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('not-the-right-token-at-all');
    await page.keyboard.press('Enter');
    await page.getByText('That token is not accepted.').waitFor();
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.locator('#nav').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
