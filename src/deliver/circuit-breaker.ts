/**
 * Per-endpoint circuit breaker, kept in Redis so every worker process agrees. After
 * `threshold` consecutive failures the endpoint is paused: its alerts wait (delayed, not failed,
 * nothing dropped) until a cooldown passes, then one probe goes through; a failed probe doubles
 * the cooldown (capped), a success closes the circuit. Other endpoints are not affected. An
 * endpoint that answered 410 Gone is disabled here too, until an operator revives it.
 */
import type { Redis } from 'ioredis';
import { failureScript, gateScript, type Gate } from './breaker-scripts.js';

export interface BreakerOptions {
  prefix: string;
  baseCooldownMs?: number;
  maxCooldownMs?: number;
}

export interface CircuitBreaker {
  /** Whether a delivery to this endpoint may go now; when not, when to try again. */
  gate(webhookId: string, now: number): Promise<Gate>;
  /** Closes the circuit and forgets the failures; a gone mark stays. */
  success(webhookId: string): Promise<void>;
  /** The endpoint answered 410 Gone: every delivery gives up until it is revived. */
  markGone(webhookId: string, now: number): Promise<void>;
  /** Lifts a gone mark (an operator replaying the endpoint's failed alerts says it is fixed). */
  revive(webhookId: string): Promise<void>;
  /** Returns true when this failure opened (or re-opened) the circuit. */
  failure(webhookId: string, threshold: number, now: number): Promise<boolean>;
}

export function createCircuitBreaker(redis: Redis, opts: BreakerOptions): CircuitBreaker {
  const base = opts.baseCooldownMs ?? 30_000;
  const max = opts.maxCooldownMs ?? 10 * 60_000;
  const key = (id: string) => `${opts.prefix}:webhook:${id}:breaker`;
  return {
    gate: (id, now) => gateScript.run(redis, { key: key(id), now }),
    async success(id) {
      await redis.hdel(key(id), 'failures', 'opens', 'openUntil', 'probe');
    },
    async markGone(id, now) {
      await redis.hset(key(id), 'gone', now);
    },
    async revive(id) {
      await redis.hdel(key(id), 'gone');
    },
    failure: (id, threshold, now) =>
      failureScript.run(redis, { key: key(id), threshold, now, baseCooldownMs: base, maxCooldownMs: max }),
  };
}
