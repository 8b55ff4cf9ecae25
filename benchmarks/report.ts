/**
 * `npm run bench:report` writes docs/benchmarks.md from the results `npm run bench` saved in
 * benchmarks/results/<name>.jsonl: per benchmark, its latest run's results in tables, with the
 * machine and date they were measured on, each followed by its section of the hand-written notes
 * (docs/benchmarks-notes.md, `## <name>`). It also rewrites the performance table in README.md,
 * between its bench-summary markers, one line per table that report-spec.ts sums up. A benchmark
 * needs no change here: its JSON fields become columns; report-spec.ts may name and order them,
 * state the goal and sum them up.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCHES } from './lib/names.js';
import { VIEWS, type Result, type View } from './report-spec.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESULTS_DIR = path.join(ROOT, 'benchmarks', 'results');
const NOTES = path.join(ROOT, 'docs', 'benchmarks-notes.md');
const OUT = path.join(ROOT, 'docs', 'benchmarks.md');
const README = path.join(ROOT, 'README.md');
const SUMMARY_START = '<!-- bench-summary:start -->';
const SUMMARY_END = '<!-- bench-summary:end -->';
/** Fields run.ts adds to every line: shown once per run, not as columns. */
const RUN_FIELDS = new Set(['bench', 'date', 'commit', 'machine']);

interface Machine {
  cpu: string;
  cores: number;
  memGb: number;
  os: string;
  node: string;
  loadAvg: number[];
}

function readResults(file: string): Result[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as Result];
      } catch {
        throw new Error(`${path.relative(ROOT, file)}: line ${i + 1} is not JSON`);
      }
    });
}

/** The notes file's text before its first `## ` heading, and its sections by heading. */
function readNotes(): { intro: string; sections: Map<string, string> } {
  let text: string;
  try {
    text = readFileSync(NOTES, 'utf8');
  } catch {
    return { intro: '', sections: new Map() };
  }
  const [intro, ...parts] = text.split(/^## /m);
  const sections = new Map(
    parts.map((p) => {
      const nl = p.indexOf('\n');
      return [p.slice(0, nl).trim(), p.slice(nl + 1).trim()] as const;
    }),
  );
  return { intro: intro.trim(), sections };
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en') : String(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface Group {
  bench: string;
  view?: View;
  rows: Result[];
}

/** One results file: its latest run's rows in tables, and how many runs it holds. */
interface Latest {
  name: string;
  runs: number;
  first: Result;
  groups: Group[];
}

/** Rows with the same fields share a table; the view is the first whose `when` fields they all have. */
function groupByShape(rows: Result[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const bench = String(r.bench);
    const shape = `${bench}\n${Object.keys(r)
      .filter((k) => !RUN_FIELDS.has(k))
      .sort()
      .join(',')}`;
    const view = VIEWS[bench]?.find((v) => v.when.every((f) => f in r));
    const group = groups.get(shape) ?? { bench, rows: [], view };
    group.rows.push(r);
    groups.set(shape, group);
  }
  return [...groups.values()];
}

function table(bench: string, rows: Result[], view: View | undefined): string {
  const named = (view?.columns ?? []).map((c) => (typeof c === 'string' ? [c, c] : c));
  const fields = new Set(named.map(([f]) => f));
  const rest = [...new Set(rows.flatMap(Object.keys))].filter((k) => !RUN_FIELDS.has(k) && !fields.has(k));
  const columns = [...named, ...rest.map((k) => [k, k])];
  const met = view?.goal?.met;
  const header = [...columns.map(([, label]) => label), ...(met ? ['goal met'] : [])];
  const body = rows.map((r) => {
    const verdict = met?.(r);
    const mark = verdict === undefined ? '' : verdict ? '✔' : '✘';
    return [...columns.map(([f]) => cell(r[f])), ...(met ? [mark] : [])];
  });
  const lines = [`### ${view ? `${view.title} (\`${bench}\`)` : `\`${bench}\``}`, ''];
  const about = [
    view?.baseline && `Baseline: ${view.baseline}.`,
    view?.goal && `Goal: ${view.goal.text}.`,
  ].filter(Boolean);
  if (about.length > 0) lines.push(about.join(' '), '');
  const tableRow = (cells: string[]) => `| ${cells.join(' | ')} |`;
  lines.push(tableRow(header), `|${header.map(() => '---').join('|')}|`, ...body.map(tableRow));
  return lines.join('\n');
}

/** A run's date as `2026-12-04 15:06 UTC`. */
function day(r: Result): string {
  return `${String(r.date).slice(0, 16).replace('T', ' ')} UTC`;
}

function runLine(latest: Result, runs: number): string {
  const m = latest.machine as Machine | undefined;
  const machine = m
    ? `${m.cpu}, ${m.cores} cores, ${m.memGb} GB, ${m.os}, Node ${m.node}; ` +
      `load average at start ${m.loadAvg.join(' / ')}`
    : 'machine not recorded';
  const commit = latest.commit
    ? `, commit \`${typeof latest.commit === 'string' ? latest.commit : JSON.stringify(latest.commit)}\``
    : '';
  return `Latest of ${runs} recorded run${runs === 1 ? '' : 's'}: ${day(latest)}${commit}. ${machine}.`;
}

function latestRun(file: string): Latest {
  const results = readResults(file);
  const dates = [...new Set(results.map((r) => String(r.date)))].sort();
  const rows = results.filter((r) => String(r.date) === dates[dates.length - 1]);
  return {
    name: path.basename(file, '.jsonl'),
    runs: dates.length,
    first: rows[0],
    groups: groupByShape(rows),
  };
}

function section(name: string, run: Latest | undefined, notes: Map<string, string>): string {
  const parts = [`## \`${name}\``];
  if (run) {
    parts.push(`\`npm run bench -- ${name}\`. ${runLine(run.first, run.runs)}`);
    for (const g of run.groups) parts.push(table(g.bench, g.rows, g.view));
  } else {
    parts.push(`No run recorded yet: \`npm run bench -- ${name}\`.`);
  }
  const note = notes.get(name);
  if (note) parts.push(note);
  notes.delete(name);
  return parts.join('\n\n');
}

function renderPage(names: string[], runs: Latest[]): string {
  const { intro, sections: notes } = readNotes();
  const parts = [
    '# Benchmarks',
    '<!-- Generated by `npm run bench:report` from benchmarks/results/*.jsonl and docs/benchmarks-notes.md;' +
      ' edit those. -->',
  ];
  if (intro) parts.push(intro.replace(/^# .*\n+/, ''));
  for (const name of names)
    parts.push(
      section(
        name,
        runs.find((r) => r.name === name),
        notes,
      ),
    );
  for (const [heading, text] of notes) parts.push(`## ${heading}\n\n${text}`);
  return parts.join('\n\n') + '\n';
}

/** ✔ when every row the goal is about meets it, ✘ when one does not, — without a goal. */
function verdict(g: Group): string {
  const met = g.view?.goal?.met;
  const verdicts = met ? g.rows.map(met).filter((v) => v !== undefined) : [];
  return verdicts.length === 0 ? '—' : verdicts.every(Boolean) ? '✔' : '✘';
}

/** When and how busy: `2026-12-04, load 16.5 on 2 cores`. */
function measured(r: Result): string {
  const m = r.machine as Machine | undefined;
  return `${String(r.date).slice(0, 10)}${m ? `, load ${m.loadAvg[0]} on ${m.cores} cores` : ''}`;
}

/** One line per summed-up table; a benchmark with no run yet gets a line per view it would fill. */
function renderSummary(names: string[], runs: Latest[]): string {
  const lines = ['| bench | goal | latest result | met | measured |', '|---|---|---|---|---|'];
  for (const name of names) {
    const run = runs.find((r) => r.name === name);
    if (!run) {
      for (const v of (VIEWS[name] ?? []).filter((w) => w.summary)) {
        lines.push(`| \`${name}\` | ${v.goal?.text ?? '—'} | ${v.title}: no run recorded yet | — | — |`);
      }
      continue;
    }
    for (const g of run.groups) {
      if (!g.view?.summary) continue;
      const goal = g.view.goal?.text ?? '—';
      lines.push(
        `| \`${g.bench}\` | ${goal} | ${g.view.summary(g.rows)} | ${verdict(g)} | ${measured(run.first)} |`,
      );
    }
  }
  return lines.join('\n');
}

function updateReadme(summary: string): void {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(SUMMARY_START);
  const end = text.indexOf(SUMMARY_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md: no ${SUMMARY_START} … ${SUMMARY_END} block for the performance table`);
  }
  writeFileSync(README, `${text.slice(0, start + SUMMARY_START.length)}\n${summary}\n${text.slice(end)}`);
}

const runs = readdirSync(RESULTS_DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .map((f) => latestRun(path.join(RESULTS_DIR, f)));
const names = [...new Set([...BENCHES, ...runs.map((r) => r.name)])].sort();
writeFileSync(OUT, renderPage(names, runs));
updateReadme(renderSummary(names, runs));
console.log(`wrote ${path.relative(ROOT, OUT)} and the performance table in README.md`);
