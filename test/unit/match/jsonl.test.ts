import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compileWatches, matchJsonLines } from '../../../src/match/index.js';

async function run(input: string) {
  const matcher = compileWatches([{ id: 'nato', label: 'NATO', terms: ['NATO'] }]);
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  const summary = await matchJsonLines(matcher, Readable.from([input]), output);
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { summary, lines };
}

describe('matching JSON lines', () => {
  it('writes one result line per item with the matching watch ids and their hits', async () => {
    const { lines, summary } = await run(
      '{"id":"a","title":"NATO summit","text":"Leaders met."}\n{"id":2,"title":"Weather","text":"Rain."}\n',
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ id: 'a', watches: ['nato'] });
    expect((lines[0].matches as Array<{ matches: unknown[] }>)[0].matches[0]).toMatchObject({
      field: 'title',
      start: 0,
      end: 4,
    });
    expect(lines[1]).toEqual({ id: 2, watches: [], matches: [] });
    expect(summary).toEqual({ lines: 2, matched: 1, errors: 0 });
  });

  it('answers a bad line with an error naming its line number and goes on', async () => {
    const { lines, summary } = await run(
      '{"id":"a","text":"NATO"}\nnot json\n\n{"title":"no id"}\r\n{"id":"z","text":"NATO"}',
    );
    expect(lines.map((l) => l.line ?? l.id)).toEqual(['a', 2, 4, 'z']);
    expect(lines[1].error).toMatch(/not JSON/);
    expect(lines[2].error).toMatch(/"id"/);
    expect(summary).toEqual({ lines: 4, matched: 2, errors: 2 });
  });
});
