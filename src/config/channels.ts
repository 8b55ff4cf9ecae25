/**
 * The channels a webhook's `format` can name besides signed JSON webhooks: their settings blocks
 * (one per format, named after it) and the rules that tie `format`, `url`, `secret` and the block
 * together. Part of the one config schema (schema.ts).
 */
import { z } from 'zod';

/** Formats that POST a body signed with the webhook's `secret` (Standard Webhooks). */
export const SIGNED_FORMATS = ['standard', 'slack', 'discord'] as const;
/** Formats that speak a service's own API, authenticated by the credentials in their block. */
export const CHANNEL_FORMATS = ['telegram', 'ntfy', 'teams', 'matrix', 'email'] as const;
export const FORMATS = [...SIGNED_FORMATS, ...CHANNEL_FORMATS] as const;
export type Format = (typeof FORMATS)[number];

/** Credentials may be empty in the schema (an unset variable); an enabled channel needs them (checkChannel). */
const credential = z.string();

export const telegramSchema = z.strictObject({
  /** The bot's token; it is part of every request path, so it is redacted from logs and errors. */
  token: credential,
  chatId: z.union([z.string().min(1), z.number().int()]).transform(String),
  /** A topic of a forum chat. */
  threadId: z.number().int().positive().optional(),
});

export const ntfySchema = z.strictObject({
  topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, 'a topic is 1 to 64 letters, digits, "-" or "_"'),
  /** An access token, sent as a Bearer token; empty for a public topic. */
  token: credential.default(''),
  priority: z.number().int().min(1).max(5).default(3),
  tags: z.array(z.string().min(1)).default([]),
});

export const matrixSchema = z.strictObject({
  roomId: z.string().regex(/^!.+:.+$/, 'a room id looks like "!abc123:example.org"'),
  accessToken: credential,
});

const unsubscribe = z.string().regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'must be a mailto: or https:// URL');

export const emailSchema = z.strictObject({
  /** The sender, "alerts@example.org" or "Mediawatch <alerts@example.org>". */
  from: z.string().regex(/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/, 'must be an e-mail address'),
  to: z.array(z.email('must be an e-mail address')).min(1, 'name at least one recipient'),
  /** SMTP login; `pass` is redacted from logs and errors. */
  user: z.string().default(''),
  pass: credential.default(''),
  /** With an smtp:// URL: require STARTTLS (default), use it when offered, or never. smtps:// is TLS from the start. */
  starttls: z.enum(['required', 'optional', 'off']).default('required'),
  /** PEM certificate(s) to trust for the server besides the system's (a private mail relay). */
  ca: z.string().optional(),
  /** The List-Unsubscribe header: mailto: and/or https:// URLs. */
  listUnsubscribe: z
    .union([unsubscribe, z.array(unsubscribe).min(1)])
    .transform((u) => (Array.isArray(u) ? u : [u]))
    .optional(),
  subjectPrefix: z.string().default('[mediawatch]'),
});

export const channelBlocks = {
  telegram: telegramSchema.optional(),
  ntfy: ntfySchema.optional(),
  matrix: matrixSchema.optional(),
  email: emailSchema.optional(),
};

type Blocks = { [K in keyof typeof channelBlocks]?: z.output<(typeof channelBlocks)[K]> };
type Hook = Blocks & { format: Format; url: string; secret: string | string[] };

/** What each channel format needs, and what it may not have; issues are reported under `path`. */
export function checkChannel(h: Hook, path: (string | number)[], ctx: z.RefinementCtx): void {
  const issue = (message: string, ...keys: string[]) =>
    ctx.addIssue({ code: 'custom', path: [...path, ...keys], message });
  const scheme = URL.canParse(h.url) ? new URL(h.url).protocol : '';
  const email = h.format === 'email';
  if (h.url !== '' && email !== (scheme === 'smtp:' || scheme === 'smtps:')) {
    issue(
      email ? 'format email needs an smtp:// or smtps:// URL' : `format ${h.format} needs an http(s) URL`,
      'url',
    );
  }
  const signed = (SIGNED_FORMATS as readonly string[]).includes(h.format);
  const hasSecret = Array.isArray(h.secret) ? h.secret.length > 0 : h.secret !== '';
  if (signed && h.url !== '' && !hasSecret) issue('a webhook with a URL needs a secret', 'secret');
  if (!signed && hasSecret)
    issue(`format ${h.format} is not signed; remove "secret" (its block holds the credentials)`, 'secret');
  for (const key of Object.keys(channelBlocks) as (keyof Blocks)[]) {
    if (h[key] !== undefined && key !== h.format)
      issue(`"${key}" settings are for format ${key}, this webhook's format is ${h.format}`, key);
  }
  if (h.format !== 'teams' && !signed && h[h.format as keyof Blocks] === undefined) {
    issue(`format ${h.format} needs a "${h.format}" block (see the README's table of formats)`, h.format);
  }
  if (h.url === '') return;
  if (h.telegram?.token === '')
    issue('may not be empty (is the environment variable set?)', 'telegram', 'token');
  if (h.matrix?.accessToken === '')
    issue('may not be empty (is the environment variable set?)', 'matrix', 'accessToken');
}
