/**
 * `${VAR}` and `${VAR:-default}` in config strings come from the environment, so secrets and
 * URLs stay out of the file. An unset variable without a default becomes "" (a webhook whose URL
 * is empty is disabled, which is what a user running with no environment wants).
 *
 * Secrets can come from files, as Docker and Kubernetes mount them: `${file:/run/secrets/x}` is
 * the file's content, and when VAR is unset, `VAR_FILE=/path` makes `${VAR}` the content of that
 * file. Both are trimmed (a trailing newline is not part of a secret). A file that cannot be read
 * is an error naming it, never "".
 */
import fs from 'node:fs';
import { MediawatchError } from '../contracts/errors.js';

const REF = /\$\{(?:file:([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g;

export type ReadFile = (file: string) => string;
const readUtf8: ReadFile = (file) => fs.readFileSync(file, 'utf8');

export function interpolate(text: string, env: NodeJS.ProcessEnv, readFile: ReadFile = readUtf8): string {
  return text.replace(REF, (_, file: string | undefined, name: string, fallback: string | undefined) => {
    if (file !== undefined) return readSecret(file, `\${file:${file}}`, readFile);
    const value = env[name];
    const fromFile = env[`${name}_FILE`];
    if (fromFile) {
      if (value)
        throw new MediawatchError('config', `both ${name} and ${name}_FILE are set; set one of them`);
      return readSecret(fromFile, `${name}_FILE`, readFile);
    }
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}

function readSecret(file: string, source: string, readFile: ReadFile): string {
  try {
    return readFile(file).trim();
  } catch (err) {
    throw new MediawatchError(
      'config',
      `cannot read ${file} (named by ${source}): ${reason(err as NodeJS.ErrnoException)}`,
    );
  }
}

function reason(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EISDIR') return 'it is a directory';
  return err.message;
}
