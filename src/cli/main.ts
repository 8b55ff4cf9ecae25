/**
 * Command dispatch. Each command returns an exit code; errors that name a problem are printed
 * as they are, anything else with its stack (it is a bug).
 */
import { MediawatchError } from '../contracts/errors.js';
import { alertsCommand } from './alerts.js';
import { backtestCommand } from './backtest.js';
import { checkConfigCommand } from './check-config.js';
import { feedsCommand } from './feeds.js';
import { matchCommand } from './match.js';
import { namesCommand } from './names.js';
import { runCommand } from './run.js';
import { storiesCommand } from './stories.js';

export type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  'check-config': checkConfigCommand,
  match: matchCommand,
  names: namesCommand,
  alerts: alertsCommand,
  feeds: feedsCommand,
  backtest: backtestCommand,
  stories: storiesCommand,
};

export const USAGE = `usage: mediawatch <command> [options]

  run [--roles scheduler,fetch,match,deliver]   run the service (all roles by default)
  check-config [path]                           validate a config and print a summary
  match --config <path> [file|-]                print the watches and matches found in a text
  match --config <path> --jsonl                 back-test: {"id","title","text"} lines in, results out
  backtest --config <path> [--watch id] [--since 7d]   what a watch would have matched in recent items
  names "<name>" [...]                          the spellings and case forms a watched name matches
  alerts failed                                 list alerts that exhausted their retries
  alerts replay <alertId|--all>                 send failed alerts again
  feeds                                         health of every feed (last success, errors, next poll)
  feeds check <url>                             fetch a feed once and report what mediawatch sees
  feeds import <file.opml> [--config path]      add an OPML subscription list to the config
  stories show <storyId>                        the outlets and times of one story

Environment: MEDIAWATCH_CONFIG (default config/mediawatch.yaml), REDIS_URL, PORT (8080), LOG_LEVEL.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`mediawatch: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, env);
  } catch (err) {
    if (err instanceof MediawatchError) {
      console.error(`mediawatch ${name}: ${err.message}`);
      return 1;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`mediawatch ${name}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(err);
    return 1;
  }
}
