/**
 * Command dispatch. Each command returns an exit code; errors that name a problem are printed
 * as they are, anything else with its stack (it is a bug).
 */
import { MediawatchError } from '../contracts/errors.js';
import type { RoleStarters } from '../service/roles.js';
import { VERSION } from '../lib/version.js';

/** What the entrypoint gives the commands: the starters of the service's roles. */
export interface Entry {
  start: RoleStarters;
}

export type Command = (args: string[], env: NodeJS.ProcessEnv, entry: Entry) => Promise<number>;

const CONFIG_OPTION =
  '  --config <path>   the config file (default: $MEDIAWATCH_CONFIG, else config/mediawatch.yaml)';

/**
 * Each command, loaded when it runs (--help and --version load none), and its help: the usage
 * lines, then what it does and its options.
 */
const COMMANDS: Record<string, { command: () => Promise<Command>; help: string }> = {
  run: {
    command: async () => (await import('./run.js')).runCommand,
    help: `usage: mediawatch run [--roles scheduler,fetch,article,match,deliver] [--config <path>]

Runs the service: all roles by default, or the ones named (also MEDIAWATCH_ROLES). Serves /healthz,
/readyz and /metrics on PORT (8080). SIGTERM or SIGINT stops it once in-flight jobs are done.

${CONFIG_OPTION}
  --roles <list>    the roles this process runs, comma-separated`,
  },
  'check-config': {
    command: async () => (await import('./check-config.js')).checkConfigCommand,
    help: `usage: mediawatch check-config [path] [--config <path>]

Validates a config and prints what it will do: feeds, watches, webhooks. Every problem is named with
its line and field; the exit code is 1 when there is one.

${CONFIG_OPTION}`,
  },
  match: {
    command: async () => (await import('./match.js')).matchCommand,
    help: `usage: mediawatch match [--config <path>] [file|-]
       mediawatch match [--config <path>] --jsonl

Prints the watches and matches found in a text (a file, or standard input). With --jsonl, back-tests
{"id","title","text"} lines from standard input, one result line each.

${CONFIG_OPTION}
  --jsonl           read JSON lines, write one JSON result per line`,
  },
  alerts: {
    command: async () => (await import('./alerts.js')).alertsCommand,
    help: `usage: mediawatch alerts failed [--config <path>]
       mediawatch alerts replay <alertId|--all> [--config <path>]

Lists the alerts that exhausted their retries, or sends them again (after the endpoint is fixed).

${CONFIG_OPTION}`,
  },
  feeds: {
    command: async () => (await import('./feeds.js')).feedsCommand,
    help: `usage: mediawatch feeds [--config <path>]
       mediawatch feeds check <url> [--config <path>]
       mediawatch feeds add <url> [--id <id>] [--config <path>]
       mediawatch feeds import <file.opml> [--config <path>]

feeds: the health of every feed (last success, errors, next poll).
feeds check: fetches a feed (RSS, Atom, RDF, JSON Feed, sitemap) once and reports what mediawatch
  sees in it; on a site's page, lists the feeds and sitemaps the site leads to, with item counts.
feeds add: checks a feed and adds it to the config file (comments kept).
feeds import: adds an OPML subscription list to the config file.

${CONFIG_OPTION}`,
  },
  backtest: {
    command: async () => (await import('./backtest.js')).backtestCommand,
    help: `usage: mediawatch backtest [--config <path>] [--watch <id>]... [--since 7d] [--limit 50]

What the config's watches (or the ones named) would have matched in the items of the recent past.

${CONFIG_OPTION}
  --watch <id>      only this watch (repeatable)
  --since <span>    how far back (default 7d)
  --limit <n>       hits printed at most (default 50)`,
  },
  signals: {
    command: async () => (await import('./signals.js')).signalsCommand,
    help: `usage: mediawatch signals [--config <path>] [--since 7d]

The mention spikes the configured spike signals would have fired in the recent past, judged from the
hourly counts kept in Redis (the last 9 weeks).

${CONFIG_OPTION}
  --since <span>    how far back (default 7d)`,
  },
  config: {
    command: async () => (await import('./config.js')).configCommand,
    help: `usage: mediawatch config history [--limit 50] [--config <path>]
       mediawatch config export [--with-secrets] [--config <path>]

config history: the changes made through the API, oldest of the last --limit first: who (the
token's name), when, what, before and after (webhook secrets shown as set/unset).
config export: the config file with the live feeds, watches and webhooks in place of its own, as
YAML that check-config accepts. A webhook secret set through the API is written as a \${VAR} to
set, unless --with-secrets.

${CONFIG_OPTION}`,
  },
  stories: {
    command: async () => (await import('./stories.js')).storiesCommand,
    help: `usage: mediawatch stories show <storyId> [--config <path>]

The outlets that carried one story, and when.

${CONFIG_OPTION}`,
  },
  extract: {
    command: async () => (await import('./extract.js')).extractCommand,
    help: `usage: mediawatch extract <url|file.html> [--url <url>] [--config <path>]
       mediawatch extract --jsonl

Prints the title, metadata and article text mediawatch reads in a page: a URL is fetched under the
config's network policy, a saved file is read as it is (--url gives its address). With --jsonl,
{"id","url","html"} lines in, one article line out per line, in order.

${CONFIG_OPTION}
  --url <url>       the address of a saved page (for its relative links and canonical URL)
  --jsonl           read page lines, write article lines`,
  },
  names: {
    command: async () => (await import('./names.js')).namesCommand,
    help: `usage: mediawatch names "<name>" ["<name>"...]

Lists the spellings (other scripts, usual romanizations) and case forms a watched name matches, and
the common words of a language any of them collides with.`,
  },
};

export const USAGE = `usage: mediawatch <command> [options]

  run [--roles <list>]                         run the service (all roles by default)
  check-config [path]                           validate a config and print a summary
  match [file|-]                                print the watches and matches found in a text
  match --jsonl                                 back-test: {"id","title","text"} lines in, results out
  backtest [--watch id] [--since 7d]            what a watch would have matched in recent items
  names "<name>" [...]                          the spellings and case forms a watched name matches
  alerts failed                                 list alerts that exhausted their retries
  alerts replay <alertId|--all>                 send failed alerts again
  feeds                                         health of every feed (last success, errors, next poll)
  feeds check <url>                             fetch a feed once and report, or list a site's feeds
  feeds add <url> [--id id]                     check a feed and add it to the config
  feeds import <file.opml>                      add an OPML subscription list to the config
  stories show <storyId>                        the outlets and times of one story
  extract <url|file.html> [--url U]             the title, metadata and article text mediawatch reads in a page
  extract --jsonl                               {"id","url","html"} lines in, article lines out
  signals [--since 7d]                          the mention spikes that would have fired
  config history | export                       API changes (audit log); the live config as YAML

Every command takes --config <path>; \`mediawatch <command> --help\` tells more; --version prints the version.
Environment: MEDIAWATCH_CONFIG (default config/mediawatch.yaml), REDIS_URL, PORT (8080), LOG_LEVEL.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv, entry: Entry): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(VERSION);
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const spec = COMMANDS[name];
  if (!spec) {
    console.error(`mediawatch: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(spec.help);
    return 0;
  }
  try {
    const command = await spec.command();
    return await command(args, env, entry);
  } catch (err) {
    if (err instanceof MediawatchError) {
      console.error(`mediawatch ${name}: ${err.message}`);
      return 1;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_')) {
      console.error(`mediawatch ${name}: ${err.message}\n\n${spec.help}`);
      return 2;
    }
    console.error(err);
    return 1;
  }
}
