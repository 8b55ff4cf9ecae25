/**
 * Reads the YAML config, fills in the environment, validates it against the schema, compiles
 * the watches, and returns a frozen Config. Any problem is reported with the file, line and field
 * path, all at once, before anything starts.
 */
import fs from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { fail, MediawatchError, ok, type Result } from '../contracts/errors.js';
import type { Matcher } from '../contracts/match.js';
import { compileWatches, formatQueryError, QueryError } from '../match/index.js';
import { interpolate } from './interpolate.js';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_PATH = 'config/mediawatch.yaml';

export interface LoadedConfig {
  path: string;
  config: Readonly<Config>;
  matcher: Matcher;
  /** The config as written, with the environment filled in: what the live configuration combines with. */
  raw: Record<string, unknown>;
}

/** One problem of a config object: the field path and what is wrong. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
  /** Set when the last path element is a key the schema does not know. */
  unknownKey?: boolean;
}

export class ConfigError extends MediawatchError {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(
      'config',
      problems.length === 1
        ? `${file}: ${problems[0]}`
        : `${file}: ${problems.length} problems in the config:\n  - ${problems.join('\n  - ')}`,
    );
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
    throw new ConfigError(
      file,
      doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`),
    );
  }
  const unreadable = interpolateScalars(doc, env);
  if (unreadable.length > 0) {
    throw new ConfigError(
      file,
      unreadable.map(({ path, message }) => `${where(doc, lines, path)}: ${message}`),
    );
  }
  const checked = checkConfig((doc.toJS() ?? {}) as Record<string, unknown>, file);
  if (!checked.ok)
    throw new ConfigError(
      file,
      checked.error.map((i) => describeIssue(doc, lines, i)),
    );
  return checked.value;
}

/**
 * Validates a config object (environment already filled in) and compiles its watches: the one
 * check for the file and for the live configuration alike. Problems come back with their paths.
 */
export function checkConfig(
  raw: Record<string, unknown>,
  source: string,
): Result<LoadedConfig, ConfigIssue[]> {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) return fail(parsed.error.issues.flatMap(toIssues));
  const config = deepFreeze(parsed.data);
  try {
    return ok({
      path: source,
      config,
      matcher: compileWatches(config.watches),
      raw: deepFreeze(structuredClone(raw)),
    });
  } catch (err: unknown) {
    if (!(err instanceof QueryError)) throw err;
    const index = config.watches.findIndex((w) => w.id === err.watchId);
    return fail([{ path: ['watches', index, 'query'], message: formatQueryError(err) }]);
  }
}

/** One issue per zod issue, and one per unknown key. */
function toIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = issue.path as (string | number)[];
  if (issue.code !== 'unrecognized_keys') return [{ path, message: issue.message }];
  return issue.keys.map((key) => ({
    path: [...path, key],
    message: `unknown key "${key}"`,
    unknownKey: true,
  }));
}

/** "webhooks[0].secret", or "(top level)". */
export function fieldName(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      '',
    ) || '(top level)'
  );
}

/** Fills in `${...}` everywhere; a secret file that cannot be read is returned with its field. */
function interpolateScalars(
  doc: Document,
  env: NodeJS.ProcessEnv,
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  visit(doc, {
    Scalar(_, node, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      try {
        node.value = interpolate(node.value, env);
      } catch (err) {
        if (!(err instanceof MediawatchError)) throw err;
        problems.push({ path: fieldPath([...ancestors, node]), message: err.message });
      }
    },
  });
  return problems;
}

/** The field path of a node from its ancestors: map keys and sequence indexes. */
function fieldPath(chain: readonly unknown[]): (string | number)[] {
  const path: (string | number)[] = [];
  chain.forEach((node, i) => {
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    if (isSeq(node)) path.push(node.items.indexOf(chain[i + 1]));
  });
  return path;
}

/** A problem on the line of its field; an unknown key on the line of that key. */
function describeIssue(doc: Document, lines: LineCounter, issue: ConfigIssue): string {
  if (!issue.unknownKey) return `${where(doc, lines, issue.path)}: ${issue.message}`;
  const mapPath = issue.path.slice(0, -1);
  const key = issue.path[issue.path.length - 1];
  const map = mapPath.length === 0 ? doc.contents : doc.getIn(mapPath, true);
  const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  const range = isScalar(pair?.key) ? pair.key.range : undefined;
  const at = range
    ? `line ${lines.linePos(range[0]).line}, ${fieldName(issue.path)}`
    : where(doc, lines, issue.path);
  return `${at}: ${issue.message}`;
}

/** "line 12, webhooks[0].secret" — the deepest node of the path that exists gives the line. */
function where(doc: Document, lines: LineCounter, path: PropertyKey[]): string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (node && range && (isScalar(node) || typeof node === 'object')) {
      return `line ${lines.linePos(range[0]).line}, ${fieldName(path)}`;
    }
  }
  return fieldName(path);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
