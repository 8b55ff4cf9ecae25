/** `mediawatch check-config [path]`: validate, lint, and print what the config will do. */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { lintWatch } from '../match/index.js';
import { CONFIG_OPTION, configPathOf } from './connect.js';

export function checkConfigCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CONFIG_OPTION });
  const file = positionals[0] ?? configPathOf(values.config, env);
  const { config } = loadConfigFile(file, env); // throws a ConfigError naming every problem
  const lines = [`${file}: OK`, `  schedule: ${config.schedule}`, `  feeds (${config.feeds.length}):`];
  for (const f of config.feeds) lines.push(`    ${f.id}  ${f.url}${f.schedule ? `  (${f.schedule})` : ''}`);
  lines.push(`  watches (${config.watches.length}):`);
  const warnings: string[] = [];
  for (const w of config.watches) {
    lines.push(`    ${w.id}  ${w.label}: ${w.query ?? [...(w.terms ?? [])].join(' | ')}${w.exclude?.length ? `  (except ${w.exclude.join(', ')})` : ''}`);
    warnings.push(...lintWatch(w));
  }
  lines.push(`  webhooks (${config.webhooks.length}):`);
  for (const h of config.webhooks) {
    const scope = h.watches ? h.watches.join(', ') : 'all watches';
    lines.push(`    ${h.id}  ${h.url === '' ? '(disabled: empty URL)' : h.url}  ${h.format}, ${scope}`);
  }
  if (config.network.allowPrivateAddresses) lines.push('  network: private and loopback addresses allowed');
  console.log(lines.join('\n'));
  for (const w of warnings) console.warn(`warning: ${w}`);
  return Promise.resolve(0);
}
