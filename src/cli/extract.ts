/**
 * `mediawatch extract <url|file.html> [--url U]`: the article mediawatch reads in a page;
 * `extract --jsonl`: {"id","url","html"} lines in, article lines out.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MediawatchError } from '../contracts/errors.js';
import { PAGE_ACCEPT, extractArticle, extractJsonLines, type ExtractResult } from '../extract/index.js';
import { CONFIG_OPTION, configPathOf, operatorHttp } from './connect.js';

const USAGE = 'usage: mediawatch extract <url|file.html> [--url U] [--config path] | extract --jsonl';

export async function extractCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONFIG_OPTION, url: { type: 'string' }, jsonl: { type: 'boolean', default: false } },
  });
  if (values.jsonl) {
    await extractJsonLines(process.stdin, process.stdout);
    return 0;
  }
  const source = positionals[0];
  if (!source) {
    console.error(USAGE);
    return 2;
  }
  const result = /^https?:\/\//i.test(source)
    ? await fromUrl(source, configPathOf(values.config, env), env)
    : extractArticle(readPage(source), { url: values.url ?? pathToFileURL(source).href });
  if (!result.ok) {
    console.error(`${result.error.kind}: ${result.error.message}`);
    return 1;
  }
  const a = result.value;
  const fields: [string, string | undefined][] = [
    ['title', a.title],
    ['canonical', a.canonicalUrl],
    ['published', a.publishedAt],
    ['lang', a.lang],
    ['byline', a.byline],
    ['encoding', a.encoding],
  ];
  for (const [name, value] of fields) if (value) console.log(`${name}: ${value}`);
  console.log(`\n${a.text}`);
  return 0;
}

function readPage(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new MediawatchError('config', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

async function fromUrl(url: string, configPath: string, env: NodeJS.ProcessEnv): Promise<ExtractResult> {
  const { http, config } = operatorHttp(configPath, env);
  const r = await http.request(url, {
    headers: { accept: PAGE_ACCEPT },
    connectTimeoutMs: config.fetch.connectTimeout,
    totalTimeoutMs: config.fetch.totalTimeout,
    maxBytes: config.fetch.maxBytes,
    maxRedirects: config.fetch.maxRedirects,
  });
  http.close();
  if (!r.ok) throw r.error;
  const res = r.value;
  if (res.status < 200 || res.status >= 300) {
    throw new MediawatchError('http-status', `${url} answered HTTP ${res.status}`, {
      details: { url, status: res.status },
    });
  }
  return extractArticle(res.body, { url: res.finalUrl, contentType: res.headers['content-type'] });
}
