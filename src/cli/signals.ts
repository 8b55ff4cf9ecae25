/**
 * `mediawatch signals --since 7d`: the mention spikes the configured spike signals would have
 * fired in the recent past, judged from the hourly counts kept in Redis.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/duration.js';
import { MediawatchError } from '../contracts/errors.js';
import { REPLAY_SPAN_HOURS, replaySpikes } from '../signals/replay.js';
import { HOUR_MS, hourOf } from '../signals/spike.js';
import { spikeWatches } from '../signals/spikes.js';
import { createSignalStore, storyRetention } from '../signals/store.js';
import { CONFIG_OPTION, configPathOf, connectOperator } from './connect.js';

export async function signalsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...CONFIG_OPTION, since: { type: 'string', default: '7d' } },
  });
  const sinceSpan = parseDuration(values.since);
  if (sinceSpan === undefined)
    throw new MediawatchError('config', `--since "${values.since}" is not a duration (e.g. 6h, 7d)`);
  const ctx = connectOperator(env, configPathOf(values.config, env));
  try {
    const { config } = ctx.loaded;
    const rules = spikeWatches(config);
    if (rules.length === 0) {
      console.log(`no webhook in ${ctx.loaded.path} has a spike signal`);
      return 0;
    }
    const store = createSignalStore(ctx.redis, {
      prefix: config.redisPrefix,
      storyRetentionMs: storyRetention(config.dedupe.storyWindow),
    });
    const to = hourOf(Date.now());
    const from = to - Math.ceil(sinceSpan / HOUR_MS);
    let fired = 0;
    for (const { hook, signal, watch } of rules) {
      const history = await store.history(watch, from - REPLAY_SPAN_HOURS, to);
      for (const c of replaySpikes(history, from, to, signal)) {
        fired++;
        const when = new Date(c.hour * HOUR_MS).toISOString();
        console.log(
          `${when}  ${hook.id}  mention.spike ${c.phase.padEnd(5)}  ${watch}: ${c.count} mentions (a spike from ${c.threshold})`,
        );
      }
    }
    console.log(
      `${fired} spike signal(s) since ${new Date(from * HOUR_MS).toISOString()}; story pickup is not replayed`,
    );
    return 0;
  } finally {
    await ctx.close();
  }
}
