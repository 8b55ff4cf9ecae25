/** pino, JSON lines, secrets redacted wherever they appear in a logged object. */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'secret',
  '*.secret',
  '*.*.secret',
  'secrets',
  '*.secrets',
  'headers.authorization',
  '*.headers.authorization',
  'headers["webhook-signature"]',
  '*.headers["webhook-signature"]',
  'redisUrl',
  '*.redisUrl',
  'token',
  '*.token',
  '*.*.token',
  '*.*.*.token',
  // channel credentials (webhooks[].telegram.token, .matrix.accessToken, .email.pass)
  'accessToken',
  '*.accessToken',
  '*.*.accessToken',
  '*.*.*.accessToken',
  'pass',
  '*.pass',
  '*.*.pass',
  '*.*.*.pass',
];

export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      name: 'mediawatch',
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    destination,
  );
}
