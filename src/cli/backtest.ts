/** `mediawatch backtest`: what a new or changed watch would have matched in recent items. */
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import { MediawatchError } from '../contracts/errors.js';
import { createBacktestStore } from '../match/backtest-store.js';
import { CONFIG_OPTION, configPathOf, connectOperator } from './connect.js';

export async function backtestCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...CONFIG_OPTION,
      watch: { type: 'string', multiple: true },
      since: { type: 'string', default: '7d' },
      limit: { type: 'string', default: '50' },
    },
  });
  const sinceSpan = parseDuration(values.since);
  if (sinceSpan === undefined)
    throw new MediawatchError('config', `--since "${values.since}" is not a duration (e.g. 6h, 7d)`);
  const ctx = connectOperator(env, configPathOf(values.config, env));
  try {
    const { config } = ctx.loaded;
    const unknown = (values.watch ?? []).filter((id) => !config.watches.some((w) => w.id === id));
    if (unknown.length > 0)
      throw new MediawatchError('config', `no watch with id ${unknown.join(', ')} in ${ctx.loaded.path}`);
    const store = createBacktestStore(ctx.redis, {
      prefix: config.redisPrefix,
      retentionMs: config.backtest.retention,
      maxItems: config.backtest.maxItems,
    });
    const now = Date.now();
    const report = await store.backtest(ctx.loaded.matcher, {
      sinceMs: now - sinceSpan,
      now,
      watchIds: values.watch,
    });
    console.log(
      `backtest over ${report.itemsScanned} item(s) since ${new Date(report.sinceMs).toISOString()}`,
    );
    for (const [id, n] of Object.entries(report.counts)) console.log(`  ${id}: ${n} item(s)`);
    const limit = Number(values.limit);
    for (const hit of report.hits.slice(-limit)) {
      console.log(
        `\n${new Date(hit.at).toISOString()}  [${hit.feedId}] ${hit.title}${hit.url ? `\n  ${hit.url}` : ''}`,
      );
      for (const w of hit.watches) console.log(`  ${w.id}: ${w.matches[0]?.snippet ?? ''}`);
    }
    if (report.hits.length > limit)
      console.log(`\n(${report.hits.length - limit} earlier hit(s) not shown; --limit N shows more)`);
    return 0;
  } finally {
    await ctx.close();
  }
}
