/** Keeping channel credentials (bot tokens, access tokens, SMTP passwords) out of errors and logs. */
import { MediawatchError, type ErrorDetails } from '../contracts/errors.js';

export const REDACTED = '[redacted]';

/** The text with every secret replaced; secrets shorter than 4 characters are not looked for. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/** The same error with every secret removed from its message and details. */
export function scrub(error: MediawatchError, secrets: readonly string[]): MediawatchError {
  if (!secrets.some((s) => s.length >= 4)) return error;
  // In JSON a secret appears escaped; the cause (a raw error) is dropped: it may hold the secret too.
  const inJson = secrets.map((s) => JSON.stringify(s).slice(1, -1));
  const details = JSON.parse(redactText(JSON.stringify(error.details), inJson)) as ErrorDetails;
  return new MediawatchError(error.code, redactText(error.message, secrets), {
    retryable: error.retryable,
    details,
  });
}
