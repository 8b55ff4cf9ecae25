import fs from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { parseFeed } from '../../../src/parse/index.js';
const dir = 'test/fixtures/feeds';
it('explore', async () => {
  const lines: string[] = [];
  for (const sub of ['real', 'encoding', 'illformed']) {
    for (const f of fs.readdirSync(path.join(dir, sub)).filter((f) => !f.startsWith('LICENSE'))) {
      const body = fs.readFileSync(path.join(dir, sub, f));
      const head = body.toString('latin1');
      const ct = /Header:\s*Content-type:\s*(.*)/i.exec(head)?.[1]?.trim();
      const r = await parseFeed(body, { contentType: ct, url: 'http://example.com/feed/' });
      lines.push([sub, f, r.ok ? `${r.value.format} ${r.value.encoding} n=${r.value.items.length} t=${JSON.stringify(r.value.title)} i0=${JSON.stringify(r.value.items[0]?.title)}|${JSON.stringify(r.value.items[0]?.content.slice(0, 60))}` : `ERR ${r.error.code} ${r.error.message.slice(0, 100)}`].join(' '));
    }
  }
  fs.writeFileSync('/tmp/explore.txt', lines.join('\n'));
});
