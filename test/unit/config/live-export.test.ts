/** `mediawatch config export`: the file with the live lists in place of its own, round-tripping through the config check. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { exportYaml } from '../../../src/cli/config.js';
import { combine, seedOf } from '../../../src/config/live-config.js';
import { parseConfig } from '../../../src/config/load.js';

const FILE_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const API_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const FILE = `# the newsroom's config
api:
  tokens: [{ name: desk, token: "\${TOKEN}", scope: write }]
watches:
  - { id: alpha, terms: [alpha] }
webhooks:
  - { id: hook, url: "https://example.org/in", secret: "\${HOOK_SECRET}" }
`;
const env = { TOKEN: 'desk-token-0123456789', HOOK_SECRET: FILE_SECRET };

describe('config export', () => {
  const loaded = parseConfig(FILE, 'mediawatch.yaml', env);
  const live = seedOf(loaded.raw);
  live.watches = [...live.watches, { id: 'beta', query: '"beta test" NEAR/3 launch', label: 'Beta' }];
  live.webhooks = [
    ...live.webhooks,
    { id: 'desk-2', url: 'https://example.org/two', secret: API_SECRET, retry: ['1m', '1h'] },
  ];
  live.feeds = [{ id: 'wire', url: 'https://example.org/wire.rss' }];

  it("writes the live lists and keeps the file's other sections and ${VAR}s as written", () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const yaml = exportYaml(FILE, live, { loaded }, false);
    expect(yaml).toContain('token: "${TOKEN}"');
    expect(yaml).toContain('${HOOK_SECRET}');
    expect(yaml).not.toContain(FILE_SECRET);
    expect(yaml).not.toContain(API_SECRET);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('MEDIAWATCH_WEBHOOK_DESK_2_SECRET'));
    const again = parseConfig(yaml, 'exported.yaml', {
      ...env,
      MEDIAWATCH_WEBHOOK_DESK_2_SECRET: API_SECRET,
    });
    expect(seedOf(again.raw)).toEqual(live);
    errors.mockRestore();
  });

  it('writes a secret set through the API only when asked to', () => {
    const yaml = exportYaml(FILE, live, { loaded }, true);
    expect(yaml).toContain(API_SECRET);
    expect(combine(parseConfig(yaml, 'exported.yaml', env).raw, live)).toEqual(combine(loaded.raw, live));
  });
});
