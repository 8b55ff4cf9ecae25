/** The roles one process can run (`npm start` runs them all), and what starts each. */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PipelineDeps } from '../pipeline/deps.js';

export const ROLES = ['scheduler', 'fetch', 'article', 'match', 'deliver'] as const;
export type RoleName = (typeof ROLES)[number];

export interface Scheduler {
  reload(): void;
  stop(): Promise<void>;
}

/**
 * What starts each role, given to the composition root by the entrypoint: the BullMQ workers live
 * in workers/, outside src/, and depend on src/, never the other way round.
 */
export interface RoleStarters {
  fetch(deps: PipelineDeps, connection: Redis): Worker;
  article(deps: PipelineDeps, connection: Redis): Worker;
  match(deps: PipelineDeps, connection: Redis): Worker;
  deliver(deps: PipelineDeps, connection: Redis): Worker;
  /** Mention spike evaluations; run by the match role. */
  signals(deps: PipelineDeps, connection: Redis): Worker;
  scheduler(deps: PipelineDeps): Scheduler;
}

export function parseRoles(text: string | undefined): RoleName[] {
  if (!text || text === 'all') return [...ROLES];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')} (or "all")`);
  return names as RoleName[];
}
