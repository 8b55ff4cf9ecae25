/**
 * `mediawatch match --jsonl`: one item per input line, one result per output line. A line that
 * is not a valid item gets an error line naming its line number; the stream goes on. A line
 * without a `lang` is matched with the language detected from its text.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { Matcher } from '../contracts/match.js';
import { detectLanguage } from '../language/detect.js';

const line = z.object({
  id: z.union([z.string(), z.number()]),
  title: z.string().default(''),
  text: z.string().default(''),
  summary: z.string().default(''),
  url: z.string().optional(),
  feedId: z.string().optional(),
  lang: z.string().optional(),
});

export interface JsonLinesSummary {
  lines: number;
  matched: number;
  errors: number;
}

/** Leaves `output` open (it may be stdout); resolves when `input` ends. */
export async function matchJsonLines(
  matcher: Matcher,
  input: Readable,
  output: Writable,
): Promise<JsonLinesSummary> {
  const summary: JsonLinesSummary = { lines: 0, matched: 0, errors: 0 };
  const write = async (value: unknown) => {
    if (!output.write(JSON.stringify(value) + '\n')) await once(output, 'drain');
  };
  let lineNo = 0;
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNo++;
    if (raw.trim() === '') continue;
    summary.lines++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      summary.errors++;
      await write({ line: lineNo, error: `not JSON: ${(e as Error).message}` });
      continue;
    }
    const item = line.safeParse(parsed);
    if (!item.success) {
      summary.errors++;
      const issue = item.error.issues[0];
      const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
      await write({ line: lineNo, error: `not an item: ${where}${issue.message}` });
      continue;
    }
    const { id, title, text, summary: itemSummary, url, feedId, lang } = item.data;
    // A line without a language gets the detected one, as an item of a feed that declares none.
    const itemLang = lang ?? detectLanguage(`${title}\n${itemSummary}\n${text}`);
    const matches = matcher.match({
      title,
      summary: itemSummary,
      content: text,
      url,
      feedId,
      lang: itemLang,
    });
    if (matches.length > 0) summary.matched++;
    await write({ id, watches: matches.map((m) => m.id), matches });
  }
  return summary;
}
