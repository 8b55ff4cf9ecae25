/// <reference lib="dom" />
/** Watches: the list, and an editor that previews what a watch matches before it is saved. */
import { ApiError, api, seg, type List, type Preview, type PreviewItem, type Watch } from './api.js';
import { announce, field, h, safeLink, setError, show, table, when } from './dom.js';

export async function watchesPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const edit = params.get('edit');
  if (edit !== null) return editor(main, edit === '' ? null : edit);
  const { body } = await api.get<List<Watch>>('watches');
  const rows = body.items.map((w) => [
    h('a', { href: `#/watches?edit=${encodeURIComponent(w.id)}` }, w.id),
    w.label ?? w.id,
    describe(w),
  ]);
  show(
    main,
    h('h1', {}, 'Watches'),
    h(
      'div',
      { class: 'row' },
      h('a', { href: '#/watches?edit=', class: 'button-link' }, h('span', {}, 'New watch')),
    ),
    rows.length
      ? table(`${rows.length} watches`, ['Id', 'Label', 'Matches'], rows)
      : h('p', {}, 'No watches yet.'),
  );
}

function describe(w: Watch): string {
  const parts = [];
  if (w.terms?.length) parts.push(`terms: ${w.terms.join(', ')}`);
  if (w.query) parts.push(`query: ${w.query}`);
  if (w.exclude?.length) parts.push(`except: ${w.exclude.join(', ')}`);
  return parts.join(' · ');
}

const lines = (text: string): string[] | undefined => {
  const list = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
};

interface Form {
  id: HTMLInputElement;
  label: HTMLInputElement;
  terms: HTMLTextAreaElement;
  query: HTMLTextAreaElement;
  exclude: HTMLTextAreaElement;
  since: HTMLSelectElement;
  errors: Record<'id' | 'label' | 'terms' | 'query' | 'exclude', HTMLElement>;
}

/** The watch as the form describes it; fields the form does not show are kept as loaded. */
function watchOf(form: Form, original: Watch | null): Watch {
  const w: Watch = { ...(original ?? {}), id: form.id.value.trim() };
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === '') delete w[key];
    else w[key] = value;
  };
  set('label', form.label.value.trim());
  set('terms', lines(form.terms.value));
  set('query', form.query.value.trim());
  set('exclude', lines(form.exclude.value));
  return w;
}

/** The form field an API error names: `query`, `terms[2]`, `watch.exclude[0]` … */
function fieldOf(path: string | undefined): keyof Form['errors'] | null {
  const first = (path ?? '').replace(/^watch\./, '').split(/[.[]/)[0];
  return first === 'id' || first === 'label' || first === 'terms' || first === 'query' || first === 'exclude'
    ? first
    : null;
}

async function editor(main: HTMLElement, id: string | null): Promise<void> {
  let original: Watch | null = null;
  let etag: string | null = null;
  if (id !== null) {
    const answer = await api.get<Watch>(`watches/${seg(id)}`);
    original = answer.body;
    etag = answer.etag;
  }
  const textarea = (value = '', rows = 3) => {
    const t = h('textarea', { rows, spellcheck: false }) as HTMLTextAreaElement;
    t.value = value;
    return t;
  };
  const input = (value = '') => {
    const i = h('input', { type: 'text', autocomplete: 'off' }) as HTMLInputElement;
    i.value = value;
    return i;
  };
  const since = h(
    'select',
    {},
    ['1d', '7d', '30d'].map((d) => h('option', { value: d, selected: d === '7d' }, `last ${d}`)),
  ) as HTMLSelectElement;
  const f = {
    id: input(original?.id),
    label: input(original?.label),
    terms: textarea(original?.terms?.join('\n'), 4),
    query: textarea(original?.query),
    exclude: textarea(original?.exclude?.join('\n'), 2),
    since,
  };
  f.id.required = true;
  f.id.readOnly = original !== null;
  const parts = {
    id: field(
      'watch-id',
      'Id',
      f.id,
      original ? 'The id cannot change.' : 'Letters, digits, - and _; referenced by webhooks.',
    ),
    label: field('watch-label', 'Label', f.label, 'Shown in alerts; the id when empty.'),
    terms: field('watch-terms', 'Terms', f.terms, 'One name or phrase per line; any of them matches.'),
    query: field('watch-query', 'Query', f.query, 'e.g. "Jane Doe" NEAR/5 (minister OR ministry)'),
    exclude: field(
      'watch-exclude',
      'Exclude',
      f.exclude,
      'One phrase per line; an item containing one does not match.',
    ),
    since: field('watch-since', 'Preview over', f.since),
  };
  const form: Form = {
    ...f,
    errors: {
      id: parts.id.error,
      label: parts.label.error,
      terms: parts.terms.error,
      query: parts.query.error,
      exclude: parts.exclude.error,
    },
  };
  const formError = h('div', { role: 'alert' });
  const preview = h('section', {
    class: 'preview',
    'aria-labelledby': 'preview-title',
    'aria-live': 'polite',
  });
  const save = h('button', { type: 'submit' }, original ? 'Save changes' : 'Create watch');
  const remove = original && h('button', { type: 'button', class: 'danger' }, 'Delete');
  const el = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'editor-title' },
    Object.values(parts).map((p) => p.wrap),
    formError,
    h('div', { class: 'row' }, save, h('a', { href: '#/watches' }, 'Cancel'), remove),
  );
  show(
    main,
    h('h1', { id: 'editor-title' }, original ? `Edit watch ${original.id}` : 'New watch'),
    h('div', { class: 'editor' }, el, preview),
  );

  const clearErrors = () => {
    for (const key of Object.keys(form.errors) as (keyof Form['errors'])[])
      setError(form[key], form.errors[key], undefined);
    show(formError);
  };
  const showError = (err: unknown) => {
    const at = err instanceof ApiError ? fieldOf(err.path) : null;
    if (at) setError(form[at], form.errors[at], (err as Error).message);
    else show(formError, h('p', { class: 'notice error' }, (err as Error).message));
  };

  let asked = 0;
  const runPreview = async () => {
    const mine = ++asked;
    show(preview, h('h2', { id: 'preview-title' }, 'Preview'), h('p', { class: 'muted' }, 'Matching…'));
    try {
      const { body } = await api.post<Preview>('watches/preview', {
        watch: watchOf(form, original),
        since: f.since.value,
      });
      if (mine !== asked) return;
      clearErrors();
      show(preview, ...previewView(body, f.since.value, original !== null));
    } catch (err) {
      if (mine !== asked) return;
      clearErrors();
      showError(err);
      show(
        preview,
        h('h2', { id: 'preview-title' }, 'Preview'),
        h('p', { class: 'muted' }, 'Fix the watch to see what it matches.'),
      );
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  el.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void runPreview(), 400);
  });
  f.since.addEventListener('change', () => void runPreview());

  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      clearErrors();
      const watch = watchOf(form, original);
      try {
        if (original) await api.put(`watches/${seg(original.id)}`, watch, etag);
        else await api.post('watches', watch);
        announce(`Watch ${watch.id} saved.`);
        location.hash = '#/watches';
      } catch (err) {
        if (err instanceof ApiError && err.status === 412) return staleNotice(formError);
        showError(err);
      }
    })();
  });
  remove?.addEventListener('click', () => {
    if (!original || !confirm(`Delete the watch ${original.id}? Alerts stop for it.`)) return;
    void api
      .del(`watches/${seg(original.id)}`, etag)
      .then(() => {
        announce(`Watch ${original.id} deleted.`);
        location.hash = '#/watches';
      })
      .catch((err: unknown) =>
        err instanceof ApiError && err.status === 412 ? staleNotice(formError) : showError(err),
      );
  });
  if (original) void runPreview();
  else
    show(
      preview,
      h('h2', { id: 'preview-title' }, 'Preview'),
      h('p', { class: 'muted' }, 'Type terms or a query to see what they match.'),
    );
  (original ? f.label : f.id).focus();
}

/** Someone saved the watch after it was opened here: say so, and offer the saved version. */
function staleNotice(where: HTMLElement): void {
  const reload = h('button', { type: 'button', class: 'secondary' }, 'Reload the saved version');
  reload.addEventListener('click', () => window.dispatchEvent(new HashChangeEvent('hashchange')));
  show(
    where,
    h(
      'div',
      { class: 'notice error' },
      h(
        'p',
        {},
        'Someone else changed this watch since you opened it; nothing was saved. Reloading shows their version (your edits here are lost).',
      ),
      reload,
    ),
  );
  reload.focus();
}

function previewView(p: Preview, since: string, editing: boolean): Node[] {
  const item = (i: PreviewItem) =>
    h(
      'li',
      {},
      safeLink(i.url, i.title || i.itemId),
      h('span', { class: 'muted' }, ` · ${when(i.publishedAt)}`),
      (i.snippets ?? []).map((s) => h('p', { class: 'snippet' }, s)),
    );
  const counts = `${p.matched.length} items matched in the ${since === '1d' ? 'last day' : `last ${since}`}`;
  const delta = editing ? ` (${p.gained.length} more and ${p.lost.length} fewer than the saved watch)` : '';
  return [
    h('h2', { id: 'preview-title' }, 'Preview'),
    h('p', { 'data-testid': 'preview-count' }, counts + delta),
    p.matched.length
      ? h('ol', {}, p.matched.slice(0, 50).map(item))
      : h('p', { class: 'muted' }, 'Nothing matched.'),
    editing && p.lost.length > 0 && h('h2', {}, 'No longer matched'),
    editing && p.lost.length > 0 && h('ol', {}, p.lost.slice(0, 20).map(item)),
  ].filter((n): n is HTMLElement => n instanceof HTMLElement);
}
