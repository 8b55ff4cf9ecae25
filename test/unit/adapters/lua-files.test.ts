import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');
const luaFiles = (fs.readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.lua'));

describe('Lua script files', () => {
  it('exist', () => {
    expect(luaFiles.length).toBeGreaterThan(0);
  });

  it.each(luaFiles)('%s opens with a comment that says what its KEYS, ARGV and reply are', (file) => {
    const source = fs.readFileSync(path.join(SRC, file), 'utf8');
    const header = /^--\[\[([\s\S]*?)\]\]/.exec(source)?.[1] ?? '';
    expect(header).toMatch(/KEYS\[/);
    expect(header).toMatch(/ARGV\[/);
    expect(header).toMatch(/Returns/);
  });
});
