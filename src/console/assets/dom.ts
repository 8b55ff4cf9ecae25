/// <reference lib="dom" />
/**
 * Builds elements from data without ever parsing it as HTML: text goes in as text nodes, so
 * nothing an API answer holds (titles, errors, URLs) can run as markup.
 */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | boolean | number | undefined | EventListener>;

export function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces what `el` shows. */
export function show(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A link only for http(s) URLs: a `javascript:` URL from a feed item stays plain text. */
export function safeLink(url: string | undefined, text: string): Node {
  if (url && /^https?:\/\//i.test(url))
    return h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, text);
  return document.createTextNode(text);
}

/** A table that a phone shows as one card per row, each cell labelled with its column. */
export function table(caption: string, columns: string[], rows: Child[][]): HTMLElement {
  const head = h(
    'tr',
    {},
    columns.map((c) => h('th', { scope: 'col' }, c)),
  );
  const body = rows.map((cells) =>
    h(
      'tr',
      {},
      cells.map((cell, i) => h('td', { 'data-label': columns[i], class: 'wrap' }, cell)),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'cards' },
      h('caption', { class: 'muted' }, caption),
      h('thead', {}, head),
      h('tbody', {}, body),
    ),
  );
}

/** A labelled form control with a hint and a place for its error, tied together for screen readers. */
export function field(
  id: string,
  label: string,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
): { wrap: HTMLElement; error: HTMLElement } {
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const described = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  const wrap = h(
    'div',
    {},
    h('label', { for: id }, label),
    control,
    hint && h('p', { class: 'hint', id: `${id}-hint` }, hint),
    error,
  );
  return { wrap, error };
}

export function setError(control: HTMLElement, error: HTMLElement, message: string | undefined): void {
  error.textContent = message ?? '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/** Tells screen readers and sighted users what just happened, for a few seconds. */
export function announce(message: string): void {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = message;
  const shown = message;
  setTimeout(() => {
    if (status.textContent === shown) status.textContent = '';
  }, 6000);
}

export function when(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
