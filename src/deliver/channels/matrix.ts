/**
 * Matrix client-server API: `PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}`
 * with the access token as Bearer. The transaction id is the alert (or digest) id, so the homeserver
 * drops a retried send it already has. A 429 names its wait as `retry_after_ms`.
 */
import type { WebhookPayload } from '../../contracts/webhook.js';
import type { Answer, ChannelRequest } from '../send.js';
import { parseJson } from '../send.js';
import { entryHtml, entryText, escapeHtml, fit, messageOf, moreLine } from './message.js';

export interface MatrixHook {
  url: string;
  matrix: { roomId: string; accessToken: string };
}

/** Well under the 65,536 bytes of a whole event, for the two forms of the text together. */
const MAX_BODY = 16_000;

export function matrixRequest(hook: MatrixHook, id: string, payload: WebhookPayload): ChannelRequest {
  const { roomId, accessToken } = hook.matrix;
  const message = messageOf(payload);
  const body = {
    msgtype: 'm.text',
    body: fit(message.heading, message.entries.map(entryText), '\n\n', MAX_BODY, moreLine),
    format: 'org.matrix.custom.html',
    formatted_body: fit(
      `<p><b>${escapeHtml(message.heading)}</b></p>`,
      message.entries.map((e) => `<p>${entryHtml(e)}</p>`),
      '',
      MAX_BODY,
      (n) => `<p>${moreLine(n)}</p>`,
    ),
  };
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${encodeURIComponent(id)}`;
  return {
    method: 'PUT',
    url: `${hook.url.replace(/\/+$/, '')}${path}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body),
    secrets: [accessToken],
    answer: matrixAnswer,
  };
}

/** `{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}` */
export function matrixAnswer(body: Buffer): Answer {
  const json = parseJson(body);
  const wait = Number(json?.retry_after_ms);
  const reason = [json?.errcode, json?.error].filter((x) => typeof x === 'string').join(': ');
  return {
    ...(Number.isFinite(wait) && wait >= 0 ? { retryAfterMs: wait } : {}),
    ...(reason ? { detail: reason.slice(0, 300) } : {}),
  };
}
