/// <reference lib="dom" />
/** The console's shell: log in with a token, then one page per hash route (#/watches, …). */
import { ApiError, LOGGED_OUT, call, session } from './api.js';
import { field, h, show } from './dom.js';
import { alertsPage } from './alerts.js';
import { feedsPage } from './feeds.js';
import { watchesPage } from './watches.js';
import { webhooksPage } from './webhooks.js';

type Page = (main: HTMLElement, params: URLSearchParams) => Promise<void>;

const PAGES: Record<string, { title: string; render: Page }> = {
  watches: { title: 'Watches', render: watchesPage },
  alerts: { title: 'Alerts', render: alertsPage },
  feeds: { title: 'Feeds', render: feedsPage },
  webhooks: { title: 'Webhooks', render: webhooksPage },
};

const main = (): HTMLElement => document.getElementById('main')!;

function setChrome(loggedIn: boolean, who = ''): void {
  document.getElementById('nav')!.hidden = !loggedIn;
  document.getElementById('logout')!.hidden = !loggedIn;
  document.getElementById('who')!.textContent = who;
}

function loginForm(reason?: string): void {
  setChrome(false);
  document.title = 'Log in · mediawatch console';
  const token = h('input', {
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  }) as HTMLInputElement;
  const { wrap, error } = field(
    'token',
    'API token',
    token,
    'One of the tokens under api.tokens in the config.',
  );
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title' },
    wrap,
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Log in')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void logIn(token, error);
  });
  show(
    main(),
    h('h1', { id: 'login-title' }, 'Log in'),
    reason && h('p', { class: 'notice error', role: 'alert' }, reason),
    form,
  );
  token.focus();
}

async function logIn(input: HTMLInputElement, error: HTMLElement): Promise<void> {
  try {
    await call('GET', 'whoami', { token: input.value });
    session.set(input.value);
    input.value = '';
    if (!location.hash || location.hash === '#/') location.hash = '#/watches';
    else void route();
  } catch (err) {
    const message =
      err instanceof ApiError && err.status === 401 ? 'That token is not accepted.' : (err as Error).message;
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

async function route(): Promise<void> {
  if (!session.token()) return loginForm();
  const [name, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const page = PAGES[name] ?? PAGES.watches;
  let who: { name: string; scope: string };
  try {
    who = (await call<{ name: string; scope: string }>('GET', 'whoami')).body;
  } catch (err) {
    if (!session.token()) return loginForm((err as Error).message);
    show(main(), h('p', { class: 'notice error', role: 'alert' }, (err as Error).message));
    return;
  }
  setChrome(true, `${who.name} (${who.scope})`);
  document.body.dataset.scope = who.scope;
  for (const a of Array.from(document.querySelectorAll('#nav a'))) {
    if (a.getAttribute('href') === `#/${PAGES[name] ? name : 'watches'}`)
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${page.title} · mediawatch console`;
  const el = main();
  show(el, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await page.render(el, new URLSearchParams(query));
  } catch (err) {
    show(
      el,
      h('h1', {}, page.title),
      h('p', { class: 'notice error', role: 'alert' }, (err as Error).message),
    );
  }
  el.focus();
}

window.addEventListener('hashchange', () => void route());
window.addEventListener(LOGGED_OUT, (ev) => loginForm(`Logged out: ${(ev as CustomEvent<string>).detail}`));
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('logout')!.addEventListener('click', () => {
    session.clear();
    location.hash = '';
    loginForm();
  });
  void route();
});
