/**
 * `mediawatch feeds`: each feed's health; `feeds check <url>`: what mediawatch sees in a feed, or
 * the feeds and sitemaps a site offers, before you add one; `feeds add <url> [--id]`: add one to
 * the config; `feeds import <file.opml>`: add an OPML subscription list to the config.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { loadConfigFile } from '../config/load.js';
import { checkFeed, discoverFeeds, importOpml, listFeedHealth, type FeedCheck } from '../fetch/index.js';
import { describePush } from '../websub/index.js';
import { CONFIG_OPTION, configPathOf, connectOperator, operatorHttp } from './connect.js';

export async function feedsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONFIG_OPTION, id: { type: 'string' } },
  });
  const [sub, target] = positionals;
  const configPath = configPathOf(values.config, env);
  if (sub === undefined) return health(env, configPath);
  if (sub === 'check' && target) return check(target, configPath, env);
  if (sub === 'import' && target) return importInto(target, configPath, env);
  if (sub === 'add' && target) return add(target, values.id, configPath, env);
  console.error(
    'usage: mediawatch feeds | feeds check <url> | feeds add <url> [--id id] | feeds import <file.opml> [--config path]',
  );
  return 2;
}

async function health(env: NodeJS.ProcessEnv, configPath: string): Promise<number> {
  const ctx = connectOperator(env, configPath);
  try {
    const { config } = ctx.loaded;
    const push = { silentAfterMs: config.websub.silentAfter, now: Date.now() };
    const rows = await listFeedHealth(ctx.redis, config.redisPrefix, config.feeds, push);
    for (const r of rows) {
      const error = problemLine('last error', r.lastError);
      const article = problemLine('last article not read', r.lastArticleError);
      const pushed = r.push ? `\n  ${describePush(r.push)}` : '';
      console.log(
        `${r.id}  ${r.status}  ${r.url}\n  last success ${r.lastSuccessAt ?? '-'}  failures in a row ${r.consecutiveFailures}  next poll ${r.nextPollAt ?? '-'}${error}${article}${pushed}`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

function problemLine(label: string, p: { code: string; message: string; at?: string } | undefined): string {
  return p ? `\n  ${label}: ${p.code}: ${p.message}${p.at ? ` (${p.at})` : ''}` : '';
}

function checkDeps(configPath: string, env: NodeJS.ProcessEnv) {
  const { http, config } = operatorHttp(configPath, env);
  return { http, config: config.fetch, clock: Date.now };
}

function kindOf(r: FeedCheck): string {
  if (r.sitemapCount !== undefined) return `sitemap index  sitemaps ${r.sitemapCount}`;
  return `${r.format === 'sitemap' ? 'sitemap' : `${r.format} feed`}  items ${r.itemCount}`;
}

async function check(url: string, configPath: string, env: NodeJS.ProcessEnv): Promise<number> {
  const found = await discoverFeeds(url, checkDeps(configPath, env));
  const [only] = found;
  if (found.length === 1 && only.via === 'the URL itself') {
    if (!only.check.ok) {
      console.error(`${url}: ${only.check.error.code}: ${only.check.error.message}`);
      return 1;
    }
    const r = only.check.value;
    const moved = r.finalUrl !== url ? `\n  redirected to ${r.finalUrl}` : '';
    console.log(
      `${url}${moved}\n  HTTP ${r.httpStatus}  ${r.contentType ?? 'no content-type'}  ${r.bytes} bytes in ${r.durationMs} ms\n  format ${r.format}  encoding ${r.encoding}  items ${r.itemCount}${r.sitemapCount !== undefined ? `  sitemaps ${r.sitemapCount}` : ''}${r.title ? `\n  title: ${r.title}` : ''}`,
    );
    for (const item of r.firstItems) console.log(`  - ${item.title}${item.url ? `\n    ${item.url}` : ''}`);
    return 0;
  }
  if (found.length === 0) {
    console.error(
      `${url} is not a feed, and neither its page, its robots.txt nor the common paths lead to one`,
    );
    return 1;
  }
  console.log(`${url} is a page; it leads to:`);
  for (const c of found) {
    const what = c.check.ok
      ? `${kindOf(c.check.value)}${c.check.value.title ? `  "${c.check.value.title}"` : ''}`
      : `${c.check.error.code}: ${c.check.error.message}`;
    console.log(`  ${c.url}  (from ${c.via})\n    ${what}`);
  }
  console.log('add one with: mediawatch feeds add <url> [--id <id>]');
  return 0;
}

/** Adds one feed after checking that it parses; the config keeps its comments and layout. */
async function add(
  url: string,
  id: string | undefined,
  configPath: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const checked = await checkFeed(url, checkDeps(configPath, env));
  if (!checked.ok) {
    console.error(
      `${url}: ${checked.error.code}: ${checked.error.message}\n(use feeds check <site> to list what a site offers)`,
    );
    return 1;
  }
  const doc = parseDocument(fs.readFileSync(configPath, 'utf8'));
  const current = (doc.toJS() as { feeds?: { id: string; url: string }[] } | null)?.feeds ?? [];
  const existing = current.find((f) => f.url === url);
  if (existing) {
    console.log(`${url} is already in ${configPath} as "${existing.id}"`);
    return 0;
  }
  const feedId = id ?? uniqueId(idFromUrl(url), new Set(current.map((f) => f.id)));
  const type =
    checked.value.format === 'jsonfeed' || checked.value.format === 'sitemap'
      ? { type: checked.value.format }
      : {};
  doc.addIn(['feeds'], doc.createNode({ id: feedId, url, ...type }));
  writeValidated(configPath, doc.toString(), env);
  console.log(`added "${feedId}" (${kindOf(checked.value)}) to ${configPath}`);
  return 0;
}

/** A feed id from the host: "www.example.co.uk/feed" → "example-co-uk". */
function idFromUrl(url: string): string {
  return (
    new URL(url).hostname
      .replace(/^www\./, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'feed'
  );
}

/** The new config text replaces the file only once it loads: a bad edit never leaves a broken config. */
function writeValidated(configPath: string, next: string, env: NodeJS.ProcessEnv): void {
  const tmp = `${configPath}.edit-${process.pid}`;
  fs.writeFileSync(tmp, next);
  try {
    loadConfigFile(tmp, env);
    fs.renameSync(tmp, configPath);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function importInto(opmlFile: string, configPath: string, env: NodeJS.ProcessEnv): number {
  const found = importOpml(fs.readFileSync(opmlFile, 'utf8'));
  const doc = parseDocument(fs.readFileSync(configPath, 'utf8'));
  const current = (doc.toJS() as { feeds?: { id: string; url: string }[] } | null)?.feeds ?? [];
  const existing = new Set(current.map((f) => f.url));
  const ids = new Set(current.map((f) => f.id));
  const added = found.filter((f) => !existing.has(f.url)).map((f) => ({ ...f, id: uniqueId(f.id, ids) }));
  for (const f of added) doc.addIn(['feeds'], doc.createNode({ id: f.id, url: f.url }));
  writeValidated(configPath, doc.toString(), env);
  console.log(
    `added ${added.length} feed(s) to ${configPath} (${found.length - added.length} already there)`,
  );
  return 0;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}
