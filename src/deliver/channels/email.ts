/**
 * E-mail over SMTP (nodemailer): one message per alert or per digest window, plain text and HTML,
 * a Message-ID derived from the alert id (a retried send is recognisably the same message), and a
 * List-Unsubscribe header when configured. The connection goes through the address policy; SMTP
 * replies are classified like HTTP answers: 4xx and network errors retry, 5xx give up.
 */
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import { MediawatchError, fail, ok, type Result } from '../../contracts/errors.js';
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { AddressPolicy } from '../../net/address-policy.js';
import { connectTcp } from '../../net/tcp.js';
import { redactUrl, scrub } from '../redact.js';
import type { SendOutcome } from '../send.js';
import { entryHtml, entryText, escapeHtml, messageOf } from './message.js';

export interface EmailSettings {
  from: string;
  to: string[];
  user: string;
  pass: string;
  starttls: 'required' | 'optional' | 'off';
  ca?: string;
  listUnsubscribe?: string[];
  subjectPrefix: string;
}

export interface EmailHook {
  id: string;
  /** smtp://host[:port] (STARTTLS per `starttls`) or smtps://host[:port] (TLS from the start). */
  url: string;
  timeout: number;
  email: EmailSettings;
}

export interface Mailer {
  /** Sends one message on a connection of its own; the server's reply, or the error. */
  send(hook: EmailHook, mail: SendMailOptions): Promise<Result<string>>;
}

export function createMailer(policy: AddressPolicy): Mailer {
  return {
    async send(hook, mail) {
      const server = new URL(hook.url);
      const secure = server.protocol === 'smtps:';
      const port = Number(server.port) || (secure ? 465 : 587);
      const { email } = hook;
      const transport = nodemailer.createTransport({
        host: server.hostname,
        port,
        secure,
        requireTLS: !secure && email.starttls === 'required',
        ignoreTLS: !secure && email.starttls === 'off',
        ...(email.user ? { auth: { user: email.user, pass: email.pass } } : {}),
        tls: { minVersion: 'TLSv1.2', ...(email.ca ? { ca: email.ca } : {}) },
        connectionTimeout: Math.min(hook.timeout, 10_000),
        greetingTimeout: hook.timeout,
        socketTimeout: hook.timeout,
        getSocket: (_options, callback) => {
          connectTcp(policy, server.hostname, port, Math.min(hook.timeout, 10_000), redactUrl(hook.url)).then(
            (r) => (r.ok ? callback(null, { connection: r.value }) : callback(r.error)),
            callback,
          );
        },
      });
      try {
        const info = await transport.sendMail(mail);
        return ok(String(info.response ?? ''));
      } catch (err) {
        return fail(smtpError(err, hook));
      } finally {
        transport.close();
      }
    },
  };
}

/** The message for an alert or digest; `id` (alert or digest id) makes the Message-ID. */
export function emailMessage(hook: EmailHook, id: string, payload: WebhookPayload): SendMailOptions {
  const { email } = hook;
  const message = messageOf(payload);
  const single = message.digest ? '' : ` — ${message.entries[0]?.title ?? ''}`;
  const domain = /@([^@\s>]+)>?$/.exec(email.from)?.[1] ?? 'mediawatch.invalid';
  const text = [message.heading, ...message.entries.map(entryText)].join('\n\n');
  const html =
    `<!doctype html><html><body><p><b>${escapeHtml(message.heading)}</b></p>` +
    `${message.entries.map((e) => `<p>${entryHtml(e)}<br><small>feed ${escapeHtml(e.feed)}</small></p>`).join('')}</body></html>`;
  return {
    from: email.from,
    to: email.to,
    subject: `${email.subjectPrefix ? `${email.subjectPrefix} ` : ''}${message.heading}${single}`.slice(
      0,
      250,
    ),
    messageId: `<${id}@${domain}>`,
    text,
    html,
    // One field with every URL (RFC 2369); nodemailer's `list` option would write one field per URL.
    ...(email.listUnsubscribe
      ? { headers: { 'List-Unsubscribe': email.listUnsubscribe.map((u) => `<${u}>`).join(', ') } }
      : {}),
  };
}

export async function sendEmail(
  mailer: Mailer,
  hook: EmailHook,
  id: string,
  payload: WebhookPayload,
  now: () => number,
): Promise<SendOutcome> {
  const started = now();
  const sent = await mailer.send(hook, emailMessage(hook, id, payload));
  const durationMs = now() - started;
  return sent.ok
    ? { kind: 'delivered', status: 250, durationMs }
    : { kind: 'failed', error: sent.error, durationMs };
}

interface SmtpFailure {
  message?: string;
  code?: string;
  responseCode?: number;
}

/** Codes of nodemailer errors that no retry fixes: the config or the message is wrong. */
const PERMANENT = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS']);

function smtpError(err: unknown, hook: EmailHook): MediawatchError {
  const secrets = [hook.email.pass];
  if (err instanceof MediawatchError) return scrub(err, secrets);
  const e = (err ?? {}) as SmtpFailure;
  const status = e.responseCode;
  const retryable = status !== undefined ? status < 500 : !PERMANENT.has(e.code ?? '');
  const details = {
    url: redactUrl(hook.url),
    webhook: hook.id,
    smtpCode: e.code,
    ...(status ? { status } : {}),
  };
  const error = new MediawatchError('delivery', `email ${hook.id}: ${e.message ?? String(err)}`, {
    retryable,
    details,
  });
  return scrub(error, secrets);
}
