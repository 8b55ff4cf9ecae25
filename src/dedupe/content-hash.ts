/** A short digest of what an item says, to tell an edited item from the same one polled again. */
import crypto from 'node:crypto';
import type { FeedItem } from '../contracts/item.js';

export function contentHash(item: Pick<FeedItem, 'key' | 'title' | 'summary' | 'content'>): string {
  return crypto
    .createHash('sha1')
    .update(`${item.key}\n${item.title}\n${item.summary}\n${item.content}`)
    .digest('base64url')
    .slice(0, 22);
}
