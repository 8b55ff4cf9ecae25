/**
 * `mediawatch feeds`: each feed's health; `feeds check <url>`: what mediawatch sees in a feed
 * before you add it; `feeds import <file.opml>`: add an OPML subscription list to the config.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { DEFAULT_CONFIG_PATH, loadConfigFile } from '../config/load.js';
import { checkFeed, importOpml, listFeedHealth } from '../fetch/index.js';
import { createAddressPolicy } from '../net/address-policy.js';
import { createHttpClient } from '../net/http-client.js';
import { USER_AGENT } from '../net/user-agent.js';
import { connectOperator } from './connect.js';

export async function feedsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { config: { type: 'string' } } });
  const [sub, target] = positionals;
  const configPath = values.config ?? env.MEDIAWATCH_CONFIG ?? DEFAULT_CONFIG_PATH;
  if (sub === undefined) return health(env, configPath);
  if (sub === 'check' && target) return check(target, configPath, env);
  if (sub === 'import' && target) return importInto(target, configPath, env);
  console.error('usage: mediawatch feeds | feeds check <url> | feeds import <file.opml> [--config path]');
  return 2;
}

async function health(env: NodeJS.ProcessEnv, configPath: string): Promise<number> {
  const ctx = await connectOperator(env, configPath);
  try {
    const { config } = ctx.loaded;
    const rows = await listFeedHealth(ctx.redis, config.redisPrefix, config.feeds);
    const iso = (t?: number) => (t ? new Date(t).toISOString() : '-');
    for (const r of rows) {
      console.log(`${r.feedId}  ${r.url}\n  last success ${iso(r.lastSuccessAt)}  failures ${r.consecutiveFailures}  next poll ${iso(r.nextPollAt)}${r.lastError ? `\n  last error: ${r.lastError.code}: ${r.lastError.message}` : ''}`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

async function check(url: string, configPath: string, env: NodeJS.ProcessEnv): Promise<number> {
  // The config's network rules apply when there is a config; without one, the safe defaults.
  const network = fs.existsSync(configPath) ? loadConfigFile(configPath, env).config.network : { allowPrivateAddresses: false, allowHosts: [] };
  const http = createHttpClient({ policy: createAddressPolicy({ allowPrivateAddresses: network.allowPrivateAddresses, allowHosts: [...network.allowHosts] }), userAgent: USER_AGENT });
  const report = await checkFeed(url, { http });
  if (!report.ok) {
    console.error(`${url}: ${report.error.code}: ${report.error.message}`);
    return 1;
  }
  const r = report.value;
  console.log(`${url}\n  status ${r.status}  format ${r.format}  encoding ${r.encoding}  items ${r.itemCount}${r.title ? `\n  title: ${r.title}` : ''}`);
  for (const item of r.firstItems) console.log(`  - ${item.title}${item.url ? `\n    ${item.url}` : ''}`);
  return 0;
}

async function importInto(opmlFile: string, configPath: string, env: NodeJS.ProcessEnv): Promise<number> {
  const found = importOpml(fs.readFileSync(opmlFile, 'utf8'));
  const doc = parseDocument(fs.readFileSync(configPath, 'utf8'));
  const existing = new Set((doc.toJS()?.feeds ?? []).map((f: { url: string }) => f.url));
  const ids = new Set((doc.toJS()?.feeds ?? []).map((f: { id: string }) => f.id));
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
