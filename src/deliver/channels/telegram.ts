/**
 * Telegram Bot API `sendMessage`: HTML text (bold heading, linked titles), one message per alert or
 * digest. A 429 names its wait in the body (`parameters.retry_after`, seconds); the token is part of
 * the URL, so it is one of the request's secrets.
 */
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { Answer, ChannelRequest } from '../send.js';
import { jsonAnswer, parseJson } from '../send.js';
import { escapeHtml, fit, messageOf, moreLine, type Entry } from './message.js';

export interface TelegramHook {
  url: string;
  telegram: { token: string; chatId: string; threadId?: number };
}

/** Telegram's limit for a message's text (after entities are parsed; the raw HTML is longer, so this is safe). */
const MAX_TEXT = 4096;

export function telegramRequest(hook: TelegramHook, payload: WebhookPayload): ChannelRequest {
  const { token, chatId, threadId } = hook.telegram;
  const message = messageOf(payload);
  const text = fit(
    `<b>${escapeHtml(message.heading)}</b>`,
    message.entries.map(entryHtml),
    '\n\n',
    MAX_TEXT,
    moreLine,
  );
  const single = message.digest ? null : message.entries[0]?.url;
  const body = {
    chat_id: chatId,
    ...(threadId ? { message_thread_id: threadId } : {}),
    text,
    parse_mode: 'HTML',
    link_preview_options: single ? { url: single, prefer_small_media: true } : { is_disabled: true },
  };
  return {
    method: 'POST',
    url: `${hook.url.replace(/\/+$/, '')}/bot${token}/sendMessage`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    secrets: [token],
    answer: telegramAnswer,
  };
}

function entryHtml(e: Entry): string {
  const title = e.url ? `<a href="${escapeHtml(e.url)}">${escapeHtml(e.title)}</a>` : escapeHtml(e.title);
  return `${title}\n<i>${escapeHtml(e.labels)}</i>${e.snippet ? ` — ${escapeHtml(e.snippet)}` : ''}`;
}

/** `{"ok":false,"description":…,"parameters":{"retry_after":N,"migrate_to_chat_id":M}}` */
export function telegramAnswer(body: Buffer): Answer {
  const params = parseJson(body)?.parameters as Record<string, unknown> | undefined;
  const { detail } = jsonAnswer(body);
  const retryAfter = Number(params?.retry_after);
  const moved = params?.migrate_to_chat_id;
  const movedTo = typeof moved === 'number' || typeof moved === 'string' ? String(moved) : undefined;
  return {
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    ...(detail
      ? { detail: movedTo ? `${detail} (the chat is now ${movedTo}: set telegram.chatId)` : detail }
      : {}),
  };
}
