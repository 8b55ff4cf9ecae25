/** The starter of each role, for the entrypoints to hand to the composition root. */
import type { RoleStarters } from '../src/service/roles.js';
import { startArticleWorker } from './article.js';
import { startDeliverWorker } from './deliver.js';
import { startFetchWorker } from './fetch.js';
import { startMatchWorker } from './match.js';
import { startScheduler } from './scheduler.js';
import { startSignalsWorker } from './signals.js';

export const roleStarters: RoleStarters = {
  fetch: startFetchWorker,
  article: startArticleWorker,
  match: startMatchWorker,
  deliver: startDeliverWorker,
  scheduler: startScheduler,
  signals: startSignalsWorker,
};
