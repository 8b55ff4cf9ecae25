/// <reference lib="dom" />
/** Feeds: health of each (last poll, last error, WebSub push), and adding one by URL after checking it. */
import { ApiError, api, type FeedCheck, type FeedHealth, type List } from './api.js';
import { announce, field, h, safeLink, setError, show, table, when } from './dom.js';

export async function feedsPage(main: HTMLElement): Promise<void> {
  const { body } = await api.get<List<FeedHealth>>('feeds/health');
  const rows = body.items.map((f) => [
    f.id,
    safeLink(f.url, f.url),
    h('span', { class: `badge state-${f.status}` }, f.status),
    when(f.lastSuccessAt),
    f.lastError ? `${f.lastError.code}: ${f.lastError.message}` : '',
    String(f.consecutiveFailures),
    when(f.nextPollAt),
    f.push ? pushCell(f.push) : '',
  ]);
  show(
    main,
    h('h1', {}, 'Feeds'),
    rows.length
      ? table(
          `${rows.length} feeds`,
          [
            'Id',
            'URL',
            'Health',
            'Last success',
            'Last error',
            'Failures in a row',
            'Next poll',
            'Push (WebSub)',
          ],
          rows,
        )
      : h('p', {}, 'No feeds yet.'),
    addForm(),
  );
}

/** A pushed feed's WebSub status, and the hub's last error while it fails. */
function pushCell(p: NonNullable<FeedHealth['push']>): string {
  const error = p.failures > 0 && p.lastError ? `: ${p.lastError}` : '';
  return `${p.status}${p.lastPushAt ? `, last push ${p.lastPushAt}` : ''}${error}`;
}

/** Check first (fetch and parse once, shown to the user), then add: a wrong URL never gets polled. */
function addForm(): HTMLElement {
  const url = h('input', {
    type: 'url',
    inputmode: 'url',
    autocomplete: 'off',
    required: true,
  }) as HTMLInputElement;
  const id = h('input', { type: 'text', autocomplete: 'off' }) as HTMLInputElement;
  const urlField = field('feed-url', 'Feed URL', url, 'RSS, Atom or JSON Feed, http or https.');
  const idField = field('feed-id', 'Id', id, 'Letters, digits, - and _; suggested by the check.');
  const check = h('button', { type: 'submit' }, 'Check feed');
  const add = h('button', { type: 'button', disabled: true }, 'Add feed') as HTMLButtonElement;
  const result = h('div', { 'aria-live': 'polite' });
  let checked = '';
  const form = h(
    'form',
    { 'aria-labelledby': 'add-feed', novalidate: true },
    urlField.wrap,
    idField.wrap,
    h('div', { class: 'row' }, check, add),
    result,
  );
  url.addEventListener('input', () => {
    add.disabled = true;
    checked = '';
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setError(url, urlField.error, undefined);
    show(result, h('p', { class: 'muted' }, 'Checking…'));
    api
      .get<FeedCheck>('feeds/check', { url: url.value.trim() })
      .then(({ body }) => {
        checked = url.value.trim();
        add.disabled = false;
        if (!id.value) id.value = suggestId(body);
        show(result, checkView(body));
      })
      .catch((err: unknown) => {
        show(result);
        setError(url, urlField.error, (err as Error).message);
        url.focus();
      });
  });
  add.addEventListener('click', () => {
    setError(id, idField.error, id.value.trim() ? undefined : 'Give the feed an id.');
    if (!id.value.trim()) return id.focus();
    api
      .post('feeds', { id: id.value.trim(), url: checked })
      .then(() => {
        announce(`Feed ${id.value} added; it is polled on the next tick.`);
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      })
      .catch((err: unknown) => {
        const target =
          err instanceof ApiError && err.path?.startsWith('url')
            ? [url, urlField.error]
            : [id, idField.error];
        setError(target[0], target[1], (err as Error).message);
      });
  });
  return h('section', {}, h('h2', { id: 'add-feed' }, 'Add a feed'), form);
}

function suggestId(c: FeedCheck): string {
  return new URL(c.finalUrl).hostname
    .replace(/^www\./, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
}

function checkView(c: FeedCheck): HTMLElement {
  return h(
    'div',
    { class: 'notice ok' },
    h('p', {}, `${c.title ?? 'Untitled feed'}: ${c.format}, HTTP ${c.httpStatus}, ${c.itemCount} items.`),
    c.finalUrl !== c.url && h('p', {}, `Redirected to ${c.finalUrl}; that URL is the one added.`),
    h(
      'ul',
      {},
      c.firstItems.map((i) =>
        h(
          'li',
          {},
          safeLink(i.url, i.title),
          i.publishedAt && h('span', { class: 'muted' }, ` · ${when(i.publishedAt)}`),
        ),
      ),
    ),
  );
}
