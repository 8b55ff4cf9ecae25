/**
 * Headless Chromium from the OS package manager, driven by playwright-core: CHROMIUM_PATH, else
 * /usr/bin/chromium (Debian's package). Nothing is downloaded; the browser reaches loopback only.
 */
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, type ServiceProcess } from '../../helpers/service.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh page (its own sessionStorage) that fails the test on any script error it hits. */
export async function openPage(
  browser: Browser,
  viewport = DESKTOP,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  return { page, errors };
}

/** The `api:` part of a service config with one write token. */
export const writeToken = (name: string, token: string) => `
api:
  tokens:
    - name: ${name}
      token: ${token}
      scope: write
`;

/** One browser for the file's tests: launched before them, closed after. */
export function sharedBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** Logs in on the console's page `hash` with `token`, and waits for the navigation. */
export async function logIn(page: Page, svc: ServiceProcess, token: string, hash = ''): Promise<void> {
  await page.goto(`http://127.0.0.1:${svc.port}/console/${hash}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('#nav').waitFor();
}

/** Saves the page as docs/console/<name>.png, for the README. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ROOT, 'docs/console', `${name}.png`), fullPage: true });
