/**
 * node-cron's own messages (a failed task, a tick blocked by overlap prevention) go to pino at
 * the same level, with the rest of the service's log, instead of to the console.
 */
import type { Logger as CronLogger } from 'node-cron';
import type { Logger } from '../adapters/logger.js';

export function cronLogger(logger: Logger): CronLogger {
  const log = logger.child({ component: 'node-cron' });
  const withError = (level: 'error' | 'debug') => (message: string | Error, err?: Error) => {
    const error = message instanceof Error ? message : err;
    log[level](error ? { err: error.message } : {}, message instanceof Error ? message.message : message);
  };
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: withError('error'),
    debug: withError('debug'),
  };
}
