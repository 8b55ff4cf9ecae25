/** `mediawatch stories show <id>`: the outlets that carried one story, and when. */
import { createStoryStore } from '../dedupe/story-store.js';
import { parseArgs } from 'node:util';
import { CONFIG_OPTION, configPathOf, connectOperator } from './connect.js';

export async function storiesCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CONFIG_OPTION });
  const [sub, id] = positionals;
  if (sub !== 'show' || !id) {
    console.error('usage: mediawatch stories show <storyId>');
    return 2;
  }
  const ctx = connectOperator(env, configPathOf(values.config, env));
  try {
    const { config } = ctx.loaded;
    const story = await createStoryStore(ctx.redis, {
      prefix: config.redisPrefix,
      windowMs: config.dedupe.storyWindow,
    }).show(id);
    if (!story) {
      console.error(`no story ${id} (unknown, or older than the retention window)`);
      return 1;
    }
    console.log(
      `${story.storyId}  first seen ${new Date(story.firstSeenAt).toISOString()}\n  ${story.title}\n  outlets (${story.outlets.length}):`,
    );
    for (const o of story.outlets)
      console.log(`    ${new Date(o.at).toISOString()}  ${o.feedId}  ${o.url ?? o.itemKey}`);
    return 0;
  } finally {
    await ctx.close();
  }
}
