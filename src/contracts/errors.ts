/**
 * Errors are values with a code the caller can act on. Only the worker edge turns a
 * non-retryable error into BullMQ's "do not retry" (UnrecoverableError).
 */
export type ErrorCode =
  // fetching
  | 'bad-url'
  | 'blocked-address'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'too-many-redirects'
  | 'too-large'
  | 'http-status'
  // parsing
  | 'not-a-feed'
  | 'parse'
  | 'decode'
  // delivery
  | 'delivery'
  // everything else
  | 'config'
  | 'redis'
  | 'internal';

export interface ErrorDetails {
  /** HTTP status when the error comes from a response. */
  status?: number;
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** The URL involved, when there is one. */
  url?: string;
  [key: string]: unknown;
}

export class MediawatchError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; details?: ErrorDetails; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MediawatchError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details ?? {};
  }

  /** A plain object for logs and for job failure records. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, retryable: this.retryable, ...this.details };
  }
}

export type Result<T, E = MediawatchError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
