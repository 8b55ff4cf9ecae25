/**
 * `mediawatch feeds`: each feed's health; `feeds check <url>`: what mediawatch sees in a feed
 * before you add it; `feeds import <file.opml>`: add an OPML subscription list to the config.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { loadConfigFile } from '../config/load.js';
import { checkFeed, importOpml, listFeedHealth } from '../fetch/index.js';
import { CONFIG_OPTION, configPathOf, connectOperator, operatorHttp } from './connect.js';

export async function feedsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CONFIG_OPTION });
  const [sub, target] = positionals;
  const configPath = configPathOf(values.config, env);
  if (sub === undefined) return health(env, configPath);
  if (sub === 'check' && target) return check(target, configPath, env);
  if (sub === 'import' && target) return importInto(target, configPath, env);
  console.error('usage: mediawatch feeds | feeds check <url> | feeds import <file.opml> [--config path]');
  return 2;
}

async function health(env: NodeJS.ProcessEnv, configPath: string): Promise<number> {
  const ctx = connectOperator(env, configPath);
  try {
    const { config } = ctx.loaded;
    const rows = await listFeedHealth(ctx.redis, config.redisPrefix, config.feeds);
    for (const r of rows) {
      const error = problemLine('last error', r.lastError);
      const article = problemLine('last article not read', r.lastArticleError);
      console.log(`${r.id}  ${r.status}  ${r.url}\n  last success ${r.lastSuccessAt ?? '-'}  failures in a row ${r.consecutiveFailures}  next poll ${r.nextPollAt ?? '-'}${error}${article}`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

function problemLine(label: string, p: { code: string; message: string; at?: string } | undefined): string {
  return p ? `\n  ${label}: ${p.code}: ${p.message}${p.at ? ` (${p.at})` : ''}` : '';
}

async function check(url: string, configPath: string, env: NodeJS.ProcessEnv): Promise<number> {
  const { http, config } = operatorHttp(configPath, env);
  const report = await checkFeed(url, { http, config: config.fetch, clock: Date.now });
  if (!report.ok) {
    console.error(`${url}: ${report.error.code}: ${report.error.message}`);
    return 1;
  }
  const r = report.value;
  const moved = r.finalUrl !== url ? `\n  redirected to ${r.finalUrl}` : '';
  console.log(`${url}${moved}\n  HTTP ${r.httpStatus}  ${r.contentType ?? 'no content-type'}  ${r.bytes} bytes in ${r.durationMs} ms\n  format ${r.format}  encoding ${r.encoding}  items ${r.itemCount}${r.title ? `\n  title: ${r.title}` : ''}`);
  for (const item of r.firstItems) console.log(`  - ${item.title}${item.url ? `\n    ${item.url}` : ''}`);
  return 0;
}

function importInto(opmlFile: string, configPath: string, env: NodeJS.ProcessEnv): number {
  const found = importOpml(fs.readFileSync(opmlFile, 'utf8'));
  const doc = parseDocument(fs.readFileSync(configPath, 'utf8'));
  const current = (doc.toJS() as { feeds?: { id: string; url: string }[] } | null)?.feeds ?? [];
  const existing = new Set(current.map((f) => f.url));
  const ids = new Set(current.map((f) => f.id));
  const added = found.filter((f) => !existing.has(f.url)).map((f) => ({ ...f, id: uniqueId(f.id, ids) }));
  for (const f of added) doc.addIn(['feeds'], doc.createNode({ id: f.id, url: f.url }));
  const next = doc.toString();
  const tmp = `${configPath}.import-${process.pid}`;
  fs.writeFileSync(tmp, next);
  try {
    loadConfigFile(tmp, env);
    fs.renameSync(tmp, configPath);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  console.log(`added ${added.length} feed(s) to ${configPath} (${found.length - added.length} already there)`);
  return 0;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}
