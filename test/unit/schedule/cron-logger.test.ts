import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/logger.js';
import { cronLogger } from '../../../src/schedule/cron-logger.js';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write: (chunk, _enc, done) => void (lines.push(JSON.parse(String(chunk))), done()),
  });
  return { lines, logger: cronLogger(createLogger('debug', sink)) };
}

describe('node-cron messages in the service log', () => {
  it.each([
    ['warn', 40, 'task still running, new execution blocked by overlap prevention!'],
    ['info', 30, 'task started'],
  ] as const)(
    "logs a %s message as a pino line of that level, marked as node-cron's",
    (level, pinoLevel, msg) => {
      const { lines, logger } = captured();
      logger[level](msg);
      expect(lines).toEqual([expect.objectContaining({ level: pinoLevel, msg, component: 'node-cron' })]);
    },
  );

  it.each([
    ['an Error alone', [new Error('boom')]],
    ['a message and an Error', ['Task failed with error!', new Error('boom')]],
  ] as const)('logs %s as an error line carrying the error message', (_what, args) => {
    const { lines, logger } = captured();
    logger.error(...(args as unknown as [string | Error, Error?]));
    expect(lines[0]).toMatchObject({ level: 50, err: 'boom', component: 'node-cron' });
    expect(lines[0].msg).toBe(args[0] instanceof Error ? 'boom' : args[0]);
  });
});
