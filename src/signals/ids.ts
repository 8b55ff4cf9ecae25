/** Signal ids: derived from what the signal is about, so a retried or raced job finds the same one. */
import crypto from 'node:crypto';

export function signalId(...parts: (string | number)[]): string {
  return `sig_${crypto.createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27)}`;
}
