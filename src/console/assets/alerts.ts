/// <reference lib="dom" />
/** Recent alerts: filter by watch, webhook and delivery state; replay one that failed. */
import { api, seg, type Alert, type DeliveryState, type List, type Watch, type Webhook } from './api.js';
import { announce, field, h, safeLink, show, table, when } from './dom.js';

const STATES: ('' | DeliveryState)[] = ['', 'queued', 'delivered', 'retrying', 'failed', 'dead'];
/** States a replay is for: the alert did not get through and nothing will try again by itself. */
const REPLAYABLE: DeliveryState[] = ['failed', 'dead'];
/** While a replayed alert is on its way, the list is read again this often, this many times. */
const FOLLOW_MS = 1_000;
const FOLLOW_TIMES = 30;

export async function alertsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const [watches, webhooks] = await Promise.all([
    api.get<List<Watch>>('watches'),
    api.get<List<Webhook>>('webhooks'),
  ]);
  const select = (name: string, values: string[], any: string) => {
    const s = h(
      'select',
      { name },
      values.map((v) => h('option', { value: v, selected: v === (params.get(name) ?? '') }, v || any)),
    );
    return s as HTMLSelectElement;
  };
  const filters = {
    watch: select('watch', ['', ...watches.body.items.map((w) => w.id)], 'any watch'),
    webhook: select('webhook', ['', ...webhooks.body.items.map((w) => w.id)], 'any webhook'),
    state: select('state', STATES, 'any state'),
    since: select('since', ['', '1h', '1d', '7d', '30d'], 'any time'),
  };
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
    field('alerts-watch', 'Watch', filters.watch).wrap,
    field('alerts-webhook', 'Webhook', filters.webhook).wrap,
    field('alerts-state', 'Delivery state', filters.state).wrap,
    field('alerts-since', 'Since', filters.since).wrap,
    h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Filter')),
  );
  // The filters live in the address, so a filtered view can be bookmarked and reloaded.
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams(
      Object.entries(filters).flatMap(([k, s]) => (s.value ? [[k, s.value]] : [])),
    );
    location.hash = `#/alerts?${q.toString()}`;
  });
  const results = h('div', {});
  show(main, h('h1', {}, 'Alerts'), form, results);
  await list(
    results,
    Object.fromEntries(Object.entries(filters).map(([k, s]) => [k, s.value || undefined])),
    [],
  );
}

type Query = Record<string, string | undefined>;

async function list(el: HTMLElement, query: Query, shown: Alert[], cursor?: string): Promise<Alert[]> {
  let { body } = await api.get<List<Alert>>('alerts', { ...query, cursor });
  // A rare filter may answer a page with no alerts and a cursor to go on with.
  while (body.items.length === 0 && body.nextCursor)
    ({ body } = await api.get<List<Alert>>('alerts', { ...query, cursor: body.nextCursor }));
  const alerts = [...shown, ...body.items];
  const more = body.nextCursor
    ? h('button', { type: 'button', class: 'secondary' }, 'Show older alerts')
    : null;
  more?.addEventListener('click', () => void list(el, query, alerts, body.nextCursor ?? undefined));
  if (!alerts.length) {
    show(el, h('p', {}, 'No alerts match these filters.'));
    return alerts;
  }
  show(
    el,
    table(
      `${alerts.length} alerts, newest first`,
      ['When', 'Item', 'Watches', 'Webhook', 'State', 'Tries', 'Last error', ''],
      alerts.map((a) => row(a, el, query)),
    ),
    more,
  );
  return alerts;
}

function row(a: Alert, el: HTMLElement, query: Query): (Node | string)[] {
  const replay = REPLAYABLE.includes(a.state)
    ? (h(
        'button',
        { type: 'button', class: 'secondary', 'aria-label': `Replay the alert on ${a.item.title}` },
        'Replay',
      ) as HTMLButtonElement)
    : null;
  replay?.addEventListener('click', () => {
    replay.disabled = true;
    api
      .post(`alerts/${seg(a.alertId)}/replay`)
      .then(() => {
        announce(`Alert ${a.alertId} queued for delivery again.`);
        return follow(el, query, a.alertId);
      })
      .catch((err: unknown) => {
        replay.disabled = false;
        announce(`Replay failed: ${(err as Error).message}`);
      });
  });
  return [
    when(a.raisedAt),
    safeLink(a.item.url ?? undefined, a.item.title),
    a.watches.map((w) => w.id).join(', '),
    a.webhookId,
    h('span', { class: `badge state-${a.state}`, 'data-alert': a.alertId }, a.state),
    String(a.attempts),
    a.lastError ?? '',
    replay ?? '',
  ];
}

/** Reads the list again until the replayed alert is delivered or given up on again. */
async function follow(el: HTMLElement, query: Query, alertId: string): Promise<void> {
  for (let i = 0; i < FOLLOW_TIMES; i++) {
    const shown = await list(el, query, []);
    const state = shown.find((a) => a.alertId === alertId)?.state;
    if (state !== 'queued' && state !== 'retrying') return;
    await new Promise((r) => setTimeout(r, FOLLOW_MS));
  }
}
