/** `mediawatch check-config [path]`: validate, lint, and print what the config will do. */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { commonWordCollisions } from '../language/common-words.js';
import { expandName } from '../language/names.js';
import { lintWatch } from '../match/index.js';
import { CONFIG_OPTION, configPathOf } from './connect.js';
import { collisionWarning } from './names.js';

export async function checkConfigCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CONFIG_OPTION });
  const file = positionals[0] ?? configPathOf(values.config, env);
  const { config } = loadConfigFile(file, env); // throws a ConfigError naming every problem
  const lines = [`${file}: OK`, `  schedule: ${config.schedule}`, `  feeds (${config.feeds.length}):`];
  for (const f of config.feeds) lines.push(`    ${f.id}  ${f.url}${f.schedule ? `  (${f.schedule})` : ''}`);
  lines.push(`  watches (${config.watches.length}):`);
  const warnings: string[] = [];
  for (const w of config.watches) {
    const what = [...(w.names ?? []).map((n) => `name:"${n}"`), w.query ?? [...(w.terms ?? [])].join(' | ')].filter((x) => x !== '').join(' | ');
    lines.push(`    ${w.id}  ${w.label}: ${what}${w.exclude?.length ? `  (except ${w.exclude.join(', ')})` : ''}`);
    warnings.push(...lintWatch(w));
    for (const name of w.names ?? []) {
      for (const c of await commonWordCollisions(expandName(name))) warnings.push(`watch "${w.id}": ${collisionWarning(name, c.form, c.language)}`);
    }
  }
  lines.push(`  webhooks (${config.webhooks.length}):`);
  for (const h of config.webhooks) {
    const scope = h.watches ? h.watches.join(', ') : 'all watches';
    lines.push(`    ${h.id}  ${h.url === '' ? '(disabled: empty URL)' : h.url}  ${h.format}, ${scope}`);
  }
  if (config.network.allowPrivateAddresses) lines.push('  network: private and loopback addresses allowed');
  console.log(lines.join('\n'));
  for (const w of warnings) console.warn(`warning: ${w}`);
  return 0;
}
