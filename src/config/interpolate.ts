/**
 * `${VAR}` and `${VAR:-default}` in config strings come from the environment, so secrets and
 * URLs stay out of the file. An unset variable without a default becomes "" (a webhook whose URL
 * is empty is disabled, which is what a user running with no environment wants).
 */
const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(REF, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}
