/** What the WebSub entry points need: a slice of the pipeline's dependencies, with the subscription store. */
import type { PipelineDeps } from '../pipeline/deps.js';

export type WebsubDeps = Pick<
  PipelineDeps,
  'current' | 'clock' | 'logger' | 'metrics' | 'webhookHttp' | 'queues' | 'seen' | 'websub'
>;

/** The URL a hub calls for a feed: verifications (GET) and content (POST). */
export const callbackUrl = (base: string, feedId: string) => `${base}/websub/${encodeURIComponent(feedId)}`;
