import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { extractJsonLines } from '../../../src/extract/index.js';

const STORY = Array.from(
  { length: 4 },
  (_, i) =>
    `<p>Paragraph ${i + 1} of the story tells the reader what happened at the harbour on Monday night, and why the ferry stayed in port.</p>`,
).join('');
const ARTICLE = `<html lang="nl"><head><title>Ferry stays in port after storm warning</title><link rel="canonical" href="https://port.example/ferry"></head><body><article>${STORY}</article></body></html>`;

async function run(lines: string[]): Promise<Record<string, unknown>[]> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c) => chunks.push(String(c)));
  await extractJsonLines(Readable.from([lines.join('\n')]), output);
  return chunks
    .join('')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('extractJsonLines', () => {
  it('answers every input line with one output line, in order, errors included', async () => {
    const out = await run([
      JSON.stringify({ id: 'a', url: 'https://port.example/ferry?x=1', html: ARTICLE }),
      '{not json',
      JSON.stringify({
        id: 'c',
        url: 'https://port.example/empty',
        html: '<html><body><p>Cookies?</p></body></html>',
      }),
      JSON.stringify({ id: 'd', html: ARTICLE }),
      JSON.stringify({ id: 7, url: 'https://port.example/ferry', html: ARTICLE }),
    ]);
    expect(out.map((l) => l.id)).toEqual(['a', null, 'c', 'd', 7]);
    expect(out[0]).toMatchObject({
      title: 'Ferry stays in port after storm warning',
      canonicalUrl: 'https://port.example/ferry',
      lang: 'nl',
      publishedAt: null,
    });
    expect(out[0].text).toContain('Paragraph 4 of the story');
    expect(out[0].error).toBeUndefined();
    expect(out[1]).toMatchObject({ text: '', errorKind: 'bad-line' });
    expect(out[1].error).toMatch(/^line 2: not JSON/);
    expect(out[2]).toMatchObject({ text: '', errorKind: 'too-little-text' });
    expect(out[3]).toMatchObject({ text: '', errorKind: 'bad-line' });
    expect(out[3].error).toMatch(/^line 4: not a page: "url"/);
  });
});
