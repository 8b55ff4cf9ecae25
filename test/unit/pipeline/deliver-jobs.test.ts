import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { deliverJobs, type Delivery } from '../../../src/pipeline/deliver-jobs.js';
import { samplePayload } from '../../../src/deliver/payload.js';

const { config } = parseConfig(
  `
watches: [{ id: nato, terms: [NATO] }]
webhooks:
  - { id: desk, url: "https://desk.example/hook", secret: "whsec_${Buffer.alloc(32, 1).toString('base64')}" }
  - { id: chat, url: "https://chat.example/hook", secret: "whsec_${Buffer.alloc(32, 2).toString('base64')}", retry: [1m] }
`,
  'test.yaml',
  {},
);
const [desk, chat] = config.webhooks;
const payload = samplePayload;
const now = (hook: typeof desk, id: string): Delivery => ({ kind: 'now', hook, payload: payload(id) });

describe('deliver jobs of one items job', () => {
  it("puts a webhook's alerts in one job, in item order, and a lone alert in a job of its own named by its id", () => {
    const specs = deliverJobs([now(desk, 'msg_1'), now(chat, 'msg_2'), now(desk, 'msg_3')], 42);
    expect(specs.map((s) => [s.data.webhookId, s.data.kind, s.opts?.attempts])).toEqual([
      ['desk', 'alerts', 8],
      ['chat', 'alert', 2],
    ]);
    const [batch, lone] = specs;
    expect(batch.data.kind === 'alerts' && batch.data.payloads.map((p) => p.data.alertId)).toEqual([
      'msg_1',
      'msg_3',
    ]);
    expect(batch.data).toMatchObject({ fetchedAt: 42 });
    expect(lone.opts?.jobId).toBe('msg_2');
  });

  it('names a batch by its webhook and alert ids, whatever the order they were raised in, without ":"', () => {
    const a = deliverJobs([now(desk, 'msg_1'), now(desk, 'msg_3')], 0)[0].opts?.jobId;
    const b = deliverJobs([now(desk, 'msg_3'), now(desk, 'msg_1')], 0)[0].opts?.jobId;
    const other = deliverJobs([now(chat, 'msg_1'), now(chat, 'msg_3')], 0)[0].opts?.jobId;
    expect(a).toBe(b);
    expect(a).not.toBe(other);
    expect(a).not.toContain(':');
  });

  it('passes digest window jobs through as they are', () => {
    const digest = {
      name: 'deliver',
      data: { kind: 'digest' as const, webhookId: 'desk', key: 'k', window: { start: 0, end: 1 } },
      opts: { jobId: 'digest.1' },
    };
    expect(deliverJobs([{ kind: 'job', spec: digest }], 0)).toEqual([digest]);
    expect(deliverJobs([], 0)).toEqual([]);
  });
});
