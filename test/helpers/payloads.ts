/** Alert payloads for tests that only need one with a given id. */
import { buildPayload } from '../../src/deliver/payload.js';

export const samplePayload = (id: string) =>
  buildPayload({
    alertId: id,
    storyId: 'st',
    feed: { id: 'f', url: 'https://x.example/f' },
    item: { key: id, title: id, summary: '', content: '' },
    watches: [],
    update: false,
    now: 0,
  });
