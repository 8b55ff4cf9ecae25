/**
 * Reads the YAML config, fills in the environment, validates it against the schema, compiles
 * the watches, and returns a frozen Config. Any problem is reported with the file, line and field
 * path, all at once, before anything starts.
 */
import fs from 'node:fs';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { MediawatchError } from '../contracts/errors.js';
import type { Matcher } from '../contracts/match.js';
import { compileWatches, formatQueryError, QueryError } from '../match/index.js';
import { interpolate } from './interpolate.js';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_PATH = 'config/mediawatch.yaml';

export interface LoadedConfig {
  path: string;
  config: Readonly<Config>;
  matcher: Matcher;
}

export class ConfigError extends MediawatchError {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super('config', problems.length === 1 ? `${file}: ${problems[0]}` : `${file}: ${problems.length} problems in the config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  return parseConfig(text, file, env);
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  }
  interpolateScalars(doc, env);
  const parsed = configSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new ConfigError(file, parsed.error.issues.map((i) => `${where(doc, lines, i.path)}: ${i.message}`));
  }
  const config = deepFreeze(parsed.data);
  try {
    return { path: file, config, matcher: compileWatches(config.watches) };
  } catch (err: unknown) {
    if (!(err instanceof QueryError)) throw err;
    const index = config.watches.findIndex((w) => w.id === err.watchId);
    throw new ConfigError(file, [`${where(doc, lines, ['watches', index, 'query'])}: ${formatQueryError(err)}`]);
  }
}

function interpolateScalars(doc: Document, env: NodeJS.ProcessEnv): void {
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes('${')) node.value = interpolate(node.value, env);
    },
  });
}

/** "line 12, webhooks[0].secret" — the deepest node of the path that exists gives the line. */
function where(doc: Document, lines: LineCounter, path: PropertyKey[]): string {
  const field = path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(top level)';
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (node && range && (isScalar(node) || typeof node === 'object')) {
      return `line ${lines.linePos(range[0]).line}, ${field}`;
    }
  }
  return field;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
