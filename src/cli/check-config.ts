/** `mediawatch check-config [path]`: validate, lint, and print what the config will do. */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import type { FullTextConfig } from '../config/schema.js';
import { commonWordCollisions } from '../language/common-words.js';
import { expandName } from '../language/names.js';
import { redactUrl } from '../deliver/redact.js';
import { lintWatch } from '../match/index.js';
import { CONFIG_OPTION, configPathOf } from './connect.js';
import { collisionWarning } from './names.js';

export async function checkConfigCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CONFIG_OPTION });
  const file = positionals[0] ?? configPathOf(values.config, env);
  const { config } = loadConfigFile(file, env); // throws a ConfigError naming every problem
  const lines = [`${file}: OK`, `  schedule: ${config.schedule}`, `  feeds (${config.feeds.length}):`];
  for (const f of config.feeds) {
    const fullText = f.fullText ? `  fullText: ${f.fullText}` : '';
    lines.push(`    ${f.id}  ${f.url}${f.schedule ? `  (${f.schedule})` : ''}${fullText}`);
  }
  lines.push(`  fullText: ${describeFullText(config.fullText)}`);
  lines.push(`  watches (${config.watches.length}):`);
  const warnings: string[] = [];
  for (const w of config.watches) {
    const what = [...(w.names ?? []).map((n) => `name:"${n}"`), w.query ?? [...(w.terms ?? [])].join(' | ')]
      .filter((x) => x !== '')
      .join(' | ');
    lines.push(
      `    ${w.id}  ${w.label}: ${what}${w.exclude?.length ? `  (except ${w.exclude.join(', ')})` : ''}`,
    );
    warnings.push(...lintWatch(w));
    for (const name of w.names ?? []) {
      for (const c of await commonWordCollisions(expandName(name)))
        warnings.push(`watch "${w.id}": ${collisionWarning(name, c.form, c.language)}`);
    }
  }
  lines.push(`  webhooks (${config.webhooks.length}):`);
  for (const h of config.webhooks) {
    const scope = h.watches ? h.watches.join(', ') : 'all watches';
    lines.push(
      `    ${h.id}  ${h.url === '' ? '(disabled: empty URL)' : redactUrl(h.url)}  ${h.format}, ${scope}`,
    );
  }
  if (config.network.allowPrivateAddresses) lines.push('  network: private and loopback addresses allowed');
  console.log(lines.join('\n'));
  for (const w of warnings) console.warn(`warning: ${w}`);
  return 0;
}

/** What fullText will do, in words: which items have their page read, and within what limits. */
function describeFullText(f: FullTextConfig): string {
  const which = {
    never: 'article pages are not read',
    always: 'the page of every new item is read',
    auto: `the page is read when an item has under ${f.minChars} characters of text`,
  }[f.mode];
  const robots = f.robots ? 'robots.txt obeyed' : 'robots.txt NOT obeyed';
  return `${f.mode} (${which}; ${robots}; ${f.timeout / 1000} s, ${(f.maxBytes / 1048576).toFixed(1)} MB a page)`;
}
