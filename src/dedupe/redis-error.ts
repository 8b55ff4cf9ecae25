import { MediawatchError } from '../contracts/errors.js';

/** A failed Redis call is worth retrying: the store is either back soon or the job gives up later. */
export function redisError(what: string, err: unknown): MediawatchError {
  const message = err instanceof Error ? err.message : String(err);
  return new MediawatchError('redis', `${what}: ${message}`, { retryable: true, cause: err });
}
