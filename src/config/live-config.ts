/**
 * How the file and the live configuration combine. With the API on (a token is set), the live
 * configuration in Redis holds the feeds, watches and webhooks: the file seeds it when Redis has
 * none, and from then on the file's lists are not applied (`mediawatch config export` writes the
 * live ones back as YAML). Every other section comes from the file. The combination is checked
 * like a file; a process never runs one that fails.
 */
import { checkConfig, ConfigError, fieldName, type LoadedConfig } from './load.js';
import { LIVE_LISTS, type LiveConfigStore, type LiveDoc } from './live-store.js';

/** The live lists a file gives (what seeds Redis). */
export function seedOf(raw: Record<string, unknown>): LiveDoc {
  const list = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as Record<string, unknown>[]) : []);
  return { watches: list('watches'), webhooks: list('webhooks'), feeds: list('feeds') };
}

/** The file's sections with the live lists in place of the file's. */
export function combine(raw: Record<string, unknown>, doc: LiveDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const key of LIVE_LISTS) out[key] = doc[key];
  return out;
}

export interface LiveLoaded {
  loaded: LoadedConfig;
  version: string;
  /** Whether the file's own lists differ from the live ones (they are not applied). */
  fileDiffers: boolean;
}

/** The configuration to run: the file combined with the live lists, seeding them when Redis has none. */
export async function loadLive(store: LiveConfigStore, file: LoadedConfig): Promise<LiveLoaded> {
  const seed = seedOf(file.raw);
  let snap = await store.read();
  if (!snap) {
    await store.write('', seed); // another process may seed first: then its seed is read below
    snap = await store.read();
    if (!snap)
      throw new ConfigError('the live configuration', ['Redis did not keep the seeded configuration']);
  }
  const checked = checkConfig(combine(file.raw, snap.doc), `${file.path} with the live configuration`);
  if (!checked.ok) {
    throw new ConfigError(
      `${file.path} with the live configuration`,
      checked.error.map((i) => `${fieldName(i.path)}: ${i.message}`),
    );
  }
  return {
    loaded: checked.value,
    version: snap.version,
    fileDiffers: JSON.stringify(seed) !== JSON.stringify(snap.doc),
  };
}
