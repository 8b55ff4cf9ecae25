/**
 * Per-endpoint circuit breaker, kept in Redis so every worker process agrees. After
 * `threshold` consecutive failures the endpoint is paused: its alerts wait (delayed, not failed,
 * nothing dropped) until a cooldown passes, then one probe goes through; a failed probe doubles
 * the cooldown (capped), a success closes the circuit. Other endpoints are not affected.
 */
import type { Redis } from 'ioredis';

export interface BreakerOptions {
  prefix: string;
  baseCooldownMs?: number;
  maxCooldownMs?: number;
}

export type Gate = { pass: true } | { pass: false; retryAt: number };

export interface CircuitBreaker {
  /** Whether a delivery to this endpoint may go now; when not, when to try again. */
  gate(webhookId: string, now: number): Promise<Gate>;
  success(webhookId: string): Promise<void>;
  /** Returns true when this failure opened (or re-opened) the circuit. */
  failure(webhookId: string, threshold: number, now: number): Promise<boolean>;
  isOpen(webhookId: string, now: number): Promise<boolean>;
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

// KEYS[1] breaker hash; ARGV: now. Closed → pass; open → wait; cooldown over → one probe passes.
const GATE = `
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
      const [pass, retryAt] = (await redis.eval(GATE, 1, key(id), now)) as [number, number];
      return pass === 1 ? { pass: true } : { pass: false, retryAt };
    },
    async success(id) {
      await redis.del(key(id));
    },
    async failure(id, threshold, now) {
      return (await redis.eval(FAILURE, 1, key(id), threshold, now, base, max)) === 1;
    },
    async isOpen(id, now) {
      const openUntil = Number((await redis.hget(key(id), 'openUntil')) ?? 0);
      return openUntil > 0 && now < openUntil;
    },
  };
}
