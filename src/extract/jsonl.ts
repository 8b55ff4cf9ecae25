/**
 * `mediawatch extract --jsonl`: one page per input line ({"id","url","html"}), one article per
 * output line, in order. A line that is not a page, or a page that yields no article, gets an
 * output line with empty text and an error naming the problem; the stream goes on.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { extractArticle } from './extract.js';

const page = z.object({
  id: z.union([z.string(), z.number()]),
  url: z.string().url(),
  html: z.string(),
  contentType: z.string().optional(),
});

export interface ArticleLine {
  id: string | number | null;
  title: string;
  text: string;
  canonicalUrl: string | null;
  publishedAt: string | null;
  lang: string | null;
  byline: string | null;
  error?: string;
  errorKind?: string;
}

const EMPTY = { title: '', text: '', canonicalUrl: null, publishedAt: null, lang: null, byline: null };

function articleLine(raw: string, lineNo: number): ArticleLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return {
      id: null,
      ...EMPTY,
      error: `line ${lineNo}: not JSON: ${(e as Error).message}`,
      errorKind: 'bad-line',
    };
  }
  const input = page.safeParse(parsed);
  if (!input.success) {
    const issue = input.error.issues[0];
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
    const id = (parsed as { id?: unknown })?.id;
    return {
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
      ...EMPTY,
      error: `line ${lineNo}: not a page: ${where}${issue.message}`,
      errorKind: 'bad-line',
    };
  }
  const { id, url, html, contentType } = input.data;
  const result = extractArticle(html, { url, contentType });
  if (!result.ok) return { id, ...EMPTY, error: result.error.message, errorKind: result.error.kind };
  const a = result.value;
  return {
    id,
    title: a.title,
    text: a.text,
    canonicalUrl: a.canonicalUrl ?? null,
    publishedAt: a.publishedAt ?? null,
    lang: a.lang ?? null,
    byline: a.byline ?? null,
  };
}

export interface ExtractLinesSummary {
  lines: number;
  extracted: number;
  errors: number;
}

/** Leaves `output` open (it may be stdout); resolves when `input` ends. */
export async function extractJsonLines(input: Readable, output: Writable): Promise<ExtractLinesSummary> {
  const summary: ExtractLinesSummary = { lines: 0, extracted: 0, errors: 0 };
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    summary.lines++;
    const line = articleLine(raw, summary.lines);
    if (line.error) summary.errors++;
    else summary.extracted++;
    if (!output.write(JSON.stringify(line) + '\n')) await once(output, 'drain');
  }
  return summary;
}
