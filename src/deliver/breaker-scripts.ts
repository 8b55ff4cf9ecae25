/** The circuit breaker's scripts (lua/breaker-*.lua): their arguments and replies, typed. */
import { loadScript } from '../adapters/lua-script.js';

export type Gate =
  /** `clean`: no failure on record, so a success has nothing to reset. */
  { pass: true; clean: boolean } | { pass: false; retryAt: number } | { pass: false; gone: true };

export const gateScript = loadScript(new URL('./lua/breaker-gate.lua', import.meta.url), {
  encode: ({ key, now }: { key: string; now: number }) => ({ keys: [key], args: [now] }),
  decode: (reply): Gate => {
    const [verdict, retryAt, clean] = reply as [number, number, number];
    if (verdict === 2) return { pass: false, gone: true };
    return verdict === 1 ? { pass: true, clean: clean === 1 } : { pass: false, retryAt };
  },
});

export interface FailureRequest {
  key: string;
  threshold: number;
  now: number;
  baseCooldownMs: number;
  maxCooldownMs: number;
}

/** Counts a failure; true when it opened (or re-opened) the circuit. */
export const failureScript = loadScript(new URL('./lua/breaker-failure.lua', import.meta.url), {
  encode: (r: FailureRequest) => ({
    keys: [r.key],
    args: [r.threshold, r.now, r.baseCooldownMs, r.maxCooldownMs],
  }),
  decode: (reply): boolean => reply === 1,
});
