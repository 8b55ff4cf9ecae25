/// <reference lib="dom" />
/** Webhooks: where alerts go, and a signed sample alert sent on request. */
import { api, seg, type List, type TestResult, type Webhook } from './api.js';
import { h, show, table } from './dom.js';

export async function webhooksPage(main: HTMLElement): Promise<void> {
  const { body } = await api.get<List<Webhook>>('webhooks');
  const rows = body.items.map((w) => {
    const result = h('span', { 'aria-live': 'polite' });
    const test = h(
      'button',
      { type: 'button', class: 'secondary', 'aria-label': `Send a test alert to ${w.id}` },
      'Send test alert',
    ) as HTMLButtonElement;
    test.addEventListener('click', () => {
      test.disabled = true;
      show(result, ' sending…');
      api
        .post<TestResult>(`webhooks/${seg(w.id)}/test`)
        .then(({ body: r }) => show(result, testOutcome(r)))
        .catch((err: unknown) =>
          show(result, h('span', { class: 'state-failed' }, ` ${(err as Error).message}`)),
        )
        .finally(() => (test.disabled = false));
    });
    return [
      w.id,
      w.url || h('span', { class: 'muted' }, 'disabled (no URL)'),
      w.secret,
      w.format ?? 'standard',
      w.watches?.join(', ') ?? 'all',
      h('span', {}, test, result),
    ];
  });
  show(
    main,
    h('h1', {}, 'Webhooks'),
    h(
      'p',
      { class: 'muted' },
      "A test alert is a sample alert signed with the webhook's secret, sent once, not retried.",
    ),
    rows.length
      ? table(`${rows.length} webhooks`, ['Id', 'URL', 'Secret', 'Format', 'Watches', 'Test'], rows)
      : h('p', {}, 'No webhooks yet.'),
  );
}

/** What the receiver made of the test alert, in a sentence. */
function testOutcome(r: TestResult): HTMLElement {
  const status = r.statusCode !== undefined ? `answered ${r.statusCode}` : 'did not answer';
  if (r.delivered) return h('span', { class: 'state-ok' }, ` Delivered: the webhook ${status}.`);
  const why = r.error ? `: ${r.error.message}` : '';
  return h('span', { class: 'state-failed' }, ` Not delivered: the webhook ${status}${why}`);
}
