import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/config/interpolate.js';
import { ConfigError, parseConfig } from '../../../src/config/load.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-secrets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const secretFile = path.join(dir, 'webhook');
fs.writeFileSync(secretFile, `${SECRET}\n`);
const missing = path.join(dir, 'absent');

describe('interpolating the environment', () => {
  it.each([
    ['a set variable', '${A}', { A: 'x' }, 'x'],
    ['an unset variable, as empty', 'a${A}b', {}, 'ab'],
    ['an unset variable with its default', '${A:-dflt}', {}, 'dflt'],
    ['an empty variable with its default', '${A:-dflt}', { A: '' }, 'dflt'],
    ['a file named in the config, trimmed', `\${file:${secretFile}}`, {}, SECRET],
    ['a file named by VAR_FILE, trimmed', '${WEBHOOK_SECRET}', { WEBHOOK_SECRET_FILE: secretFile }, SECRET],
    [
      'a file named by VAR_FILE over the default',
      '${WEBHOOK_SECRET:-none}',
      { WEBHOOK_SECRET_FILE: secretFile },
      SECRET,
    ],
  ])('fills in %s', (_, text, env, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it.each([
    [
      'a ${file:} that does not exist',
      `\${file:${missing}}`,
      {},
      `cannot read ${missing} (named by \${file:${missing}}): no such file`,
    ],
    [
      'a VAR_FILE that does not exist',
      '${S}',
      { S_FILE: missing },
      `cannot read ${missing} (named by S_FILE): no such file`,
    ],
    [
      'a VAR_FILE that is a directory',
      '${S}',
      { S_FILE: dir },
      `cannot read ${dir} (named by S_FILE): it is a directory`,
    ],
    [
      'both VAR and VAR_FILE',
      '${S}',
      { S: 'x', S_FILE: secretFile },
      'both S and S_FILE are set; set one of them',
    ],
  ])('refuses %s', (_, text, env, message) => {
    expect(() => interpolate(text, env)).toThrow(message);
  });
});

describe('secrets from files in a config', () => {
  const yaml = (secret: string) => `watches:
  - { id: macron, terms: [Macron] }
webhooks:
  - id: newsroom
    url: https://hooks.example.org/mw
    secret: "${secret}"
`;

  it('reads a webhook secret from the file WEBHOOK_SECRET_FILE names', () => {
    const { config } = parseConfig(yaml('${WEBHOOK_SECRET}'), 'mw.yaml', { WEBHOOK_SECRET_FILE: secretFile });
    expect(config.webhooks[0].secret).toBe(SECRET);
  });

  it('names the config file, line, field and secret file when the secret file is missing', () => {
    let error: unknown;
    try {
      parseConfig(yaml(`\${file:${missing}}`), 'mw.yaml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `mw.yaml: line 6, webhooks[0].secret: cannot read ${missing} (named by \${file:${missing}}): no such file`,
    );
  });
});
