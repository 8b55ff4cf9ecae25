/**
 * Keeping channel credentials (bot tokens, access tokens, SMTP passwords, URL signatures) out of
 * errors, logs, the CLI and the API.
 */
import { MediawatchError, type ErrorDetails } from '../contracts/errors.js';

export const REDACTED = '[redacted]';

/** The text with every secret replaced; secrets shorter than 4 characters are not looked for. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}

/**
 * Query parameters whose values are credentials: Teams Workflows URLs carry their signature as
 * `sig`, other services a token or key under one of the usual names.
 */
const SECRET_PARAMS = ['sig', 'signature', 'token', 'access_token', 'key', 'api_key', 'apikey', 'secret'];
const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#]*`, 'gi');
const USERINFO_PASSWORD = /^([a-z][a-z\d+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i;

/**
 * A webhook or channel URL as logs, errors, the CLI, the API and the console show it: the password
 * of its userinfo, the values of secret query parameters and every one of `secrets` replaced. The
 * rest stays as written, so two endpoints can still be told apart.
 */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  const masked = url.replace(USERINFO_PASSWORD, `$1:${REDACTED}@`).replace(SECRET_PARAM, `$1${REDACTED}`);
  return redactText(masked, secrets);
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
