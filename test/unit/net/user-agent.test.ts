import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { USER_AGENT } from '../../../src/net/user-agent.js';

const pkg = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8'),
) as { version: string };

describe('the User-Agent', () => {
  it('names mediawatch with the version of package.json, and where to read about it', () => {
    expect(USER_AGENT).toBe(`mediawatch/${pkg.version} (+https://github.com/mediawatch/mediawatch)`);
  });
});
