/**
 * `mediawatch config history`: the changes made through the API (who, when, what, before and
 * after). `mediawatch config export`: the config file as written, with the live feeds, watches and
 * webhooks in place of its own, as YAML that check-config accepts.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { createLiveConfigStore, LIVE_LISTS, type LiveDoc } from '../config/live-store.js';
import { MediawatchError } from '../contracts/errors.js';
import { CONFIG_OPTION, configPathOf, connectOperator, type OperatorContext } from './connect.js';

export async function configCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONFIG_OPTION,
      limit: { type: 'string', default: '50' },
      'with-secrets': { type: 'boolean', default: false },
    },
  });
  const sub = positionals[0];
  if (sub !== 'history' && sub !== 'export')
    throw new MediawatchError('config', 'usage: mediawatch config history|export');
  const configPath = configPathOf(values.config, env);
  const ctx = connectOperator(env, configPath);
  try {
    const store = createLiveConfigStore(ctx.redis, {
      prefix: ctx.loaded.config.redisPrefix,
      auditMaxEntries: ctx.loaded.config.api.auditMaxEntries,
    });
    if (sub === 'history') {
      for (const e of (await store.history(Number(values.limit))).reverse()) {
        console.log(`${e.at}  ${e.who}  ${e.action} ${e.list}/${e.id}`);
        if (e.before) console.log(`  before: ${JSON.stringify(e.before)}`);
        if (e.after) console.log(`  after:  ${JSON.stringify(e.after)}`);
      }
      return 0;
    }
    const live = await store.read();
    if (!live)
      throw new MediawatchError(
        'config',
        'Redis holds no live configuration (the API was never on); the file is the configuration',
      );
    process.stdout.write(
      exportYaml(fs.readFileSync(configPath, 'utf8'), live.doc, ctx, values['with-secrets']),
    );
    return 0;
  } finally {
    await ctx.close();
  }
}

/**
 * The file's text with the live lists in place of its own. A webhook secret the file gives (often
 * as ${VAR}) is written as the file writes it; one set through the API is written only with
 * --with-secrets, else as a ${VAR} to set, named on stderr.
 */
export function exportYaml(
  fileText: string,
  live: LiveDoc,
  ctx: Pick<OperatorContext, 'loaded'>,
  withSecrets: boolean,
): string {
  const doc = parseDocument(fileText);
  const asWritten = (doc.toJS() ?? {}) as Record<string, Record<string, unknown>[] | undefined>;
  const fileHooks = (ctx.loaded.raw.webhooks ?? []) as Record<string, unknown>[];
  const webhooks = live.webhooks.map((hook) => {
    const i = fileHooks.findIndex(
      (h) => h.id === hook.id && JSON.stringify(h.secret) === JSON.stringify(hook.secret),
    );
    if (i >= 0) return { ...hook, secret: asWritten.webhooks?.[i]?.secret };
    if (withSecrets || hook.secret === '' || hook.secret === undefined) return hook;
    const variable = `MEDIAWATCH_WEBHOOK_${String(hook.id).toUpperCase().replace(/-/g, '_')}_SECRET`;
    console.error(
      `webhook "${String(hook.id)}": its secret was set through the API; set ${variable} (or export --with-secrets)`,
    );
    return { ...hook, secret: `\${${variable}}` };
  });
  for (const key of LIVE_LISTS)
    doc.set(key, doc.createNode(key === 'webhooks' ? webhooks : live[key], { flow: false }));
  return doc.toString();
}
