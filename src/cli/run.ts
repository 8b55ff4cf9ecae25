/** `mediawatch run`: the service. SIGTERM/SIGINT stop it gracefully with exit code 0. */
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/logger.js';
import { ConfigError } from '../config/load.js';
import { MediawatchError } from '../contracts/errors.js';
import { parseRoles, type RoleStarters } from '../service/roles.js';
import { runService } from '../service/runtime.js';
import { CONFIG_OPTION } from './connect.js';

export async function runCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  { start }: { start: RoleStarters },
): Promise<number> {
  const { values } = parseArgs({ args, options: { ...CONFIG_OPTION, roles: { type: 'string' } } });
  const logger = createLogger(env.LOG_LEVEL);
  let service;
  try {
    // The service reads its config (and re-reads it on change) from MEDIAWATCH_CONFIG.
    const serviceEnv = values.config ? { ...env, MEDIAWATCH_CONFIG: values.config } : env;
    service = await runService({
      roles: parseRoles(values.roles ?? env.MEDIAWATCH_ROLES),
      start,
      env: serviceEnv,
      logger,
    });
  } catch (err) {
    // One log line that says what is wrong; a config error also goes to stderr as plain text.
    if (err instanceof ConfigError) console.error(err.message);
    logger.fatal(
      { err: err instanceof MediawatchError ? err.toJSON() : String(err) },
      'mediawatch did not start',
    );
    return 1;
  }
  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      logger.info({ signal: sig }, 'signal received');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  const force = setTimeout(() => {
    logger.error('shutdown took longer than 10 s; exiting');
    process.exit(1);
  }, 10_000);
  force.unref();
  await service.stop();
  return 0;
}
