/**
 * Per-endpoint circuit breaker, kept in Redis so every worker process agrees. After
 * `threshold` consecutive failures the endpoint is paused: its alerts wait (delayed, not failed,
 * nothing dropped) until a cooldown passes, then one probe goes through; a failed probe doubles
 * the cooldown (capped), a success closes the circuit. Other endpoints are not affected. An
 * endpoint that answered 410 Gone is disabled here too, until an operator revives it.
 */
import type { Redis } from 'ioredis';

export interface BreakerOptions {
  prefix: string;
  baseCooldownMs?: number;
  maxCooldownMs?: number;
}

export type Gate =
  /** `clean`: no failure on record, so a success has nothing to reset. */
  | { pass: true; clean: boolean }
  | { pass: false; retryAt: number }
  | { pass: false; gone: true };

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

/** Cooldown after the circuit opened `opens` times in a row. */
export function cooldownMs(opens: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, opens - 1));
}

// KEYS[1] breaker hash; ARGV: threshold, now, base, max. Counts the failure and opens the
// circuit once the count reaches the threshold (or on any failure while half-open). A failure
// of a try that was in flight when the circuit opened does not open it again.
const FAILURE = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil > tonumber(ARGV[2]) then return 0 end
local threshold = tonumber(ARGV[1])
if failures >= threshold then
  local opens = redis.call('HINCRBY', KEYS[1], 'opens', 1)
  local cooldown = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (opens - 1))
  redis.call('HSET', KEYS[1], 'openUntil', tonumber(ARGV[2]) + cooldown)
  redis.call('HDEL', KEYS[1], 'probe')
  return 1
end
return 0
`;

// KEYS[1] breaker hash; ARGV: now. Nothing on record → pass, clean; gone → give up; closed → pass;
// open → wait; cooldown over → one probe passes. Replies {1 pass | 0 wait | 2 gone, retryAt, clean}.
const GATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {1, 0, 1} end
if redis.call('HEXISTS', KEYS[1], 'gone') == 1 then return {2, 0, 0} end
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if openUntil == 0 then return {1, 0} end
local now = tonumber(ARGV[1])
if now < openUntil then return {0, openUntil} end
if redis.call('HSETNX', KEYS[1], 'probe', ARGV[1]) == 1 then return {1, 0} end
local probeAt = tonumber(redis.call('HGET', KEYS[1], 'probe'))
if now - probeAt > 60000 then redis.call('HSET', KEYS[1], 'probe', ARGV[1]) return {1, 0} end
return {0, now + 5000}
`;

export function createCircuitBreaker(redis: Redis, opts: BreakerOptions): CircuitBreaker {
  const base = opts.baseCooldownMs ?? 30_000;
  const max = opts.maxCooldownMs ?? 10 * 60_000;
  const key = (id: string) => `${opts.prefix}:webhook:${id}:breaker`;
  return {
    async gate(id, now) {
      const [pass, retryAt, clean] = (await redis.eval(GATE, 1, key(id), now)) as [number, number, number?];
      if (pass === 2) return { pass: false, gone: true };
      return pass === 1 ? { pass: true, clean: clean === 1 } : { pass: false, retryAt };
    },
    async success(id) {
      await redis.hdel(key(id), 'failures', 'opens', 'openUntil', 'probe');
    },
    async markGone(id, now) {
      await redis.hset(key(id), 'gone', now);
    },
    async revive(id) {
      await redis.hdel(key(id), 'gone');
    },
    async failure(id, threshold, now) {
      return (await redis.eval(FAILURE, 1, key(id), threshold, now, base, max)) === 1;
    },
  };
}
