/// <reference lib="dom" />
/**
 * The console's one way to the HTTP API: fetch() with the session's Bearer token. The token lives
 * in sessionStorage only (gone when the tab closes; never in a cookie or a URL).
 */

const TOKEN_KEY = 'mediawatch.console.token';
const BASE = new URL('../api/v1/', location.href);

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** A refusal from the API, as its `{"error":{"code","message","path"}}` body tells it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Answer<T> {
  body: T;
  etag: string | null;
}

export interface CallOptions {
  body?: unknown;
  ifMatch?: string | null;
  query?: Record<string, string | undefined>;
  /** A token to try instead of the session's (the login form). */
  token?: string;
}

/** Fired when the API refuses the token: the console shows the login form again. */
export const LOGGED_OUT = 'console:logged-out';

export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const url = new URL(path, BASE);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = opts.token ?? session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    res = await fetch(url, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'network', `the service did not answer (${(err as Error).message})`);
  }
  const body: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) throw refusal(res.status, body, opts.token === undefined);
  return { body: body as T, etag: res.headers.get('etag') };
}

function refusal(status: number, body: unknown, fromSession: boolean): ApiError {
  const e = (body as { error?: { code?: string; message?: string; path?: string } } | undefined)?.error;
  const err = new ApiError(
    status,
    e?.code ?? 'http',
    e?.message ?? `the service answered ${status}`,
    e?.path,
  );
  if (status === 401 && fromSession) {
    session.clear();
    window.dispatchEvent(new CustomEvent(LOGGED_OUT, { detail: err.message }));
  }
  return err;
}

export const api = {
  get: <T>(path: string, query?: CallOptions['query']) => call<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown, ifMatch: string | null) => call<T>('PUT', path, { body, ifMatch }),
  del: (path: string, ifMatch: string | null) => call<unknown>('DELETE', path, { ifMatch }),
};

/** The path segment for an id, escaped. */
export const seg = (id: string): string => encodeURIComponent(id);

// The shapes the pages read; type-only imports, erased from the browser's JavaScript.
export type { AlertView as Alert, TestResult } from '../../api/alert-routes.js';
export type { DeliveryState } from '../../alerts/store.js';
export type { FeedCheck } from '../../fetch/check-feed.js';
export type { FeedHealth } from '../../fetch/health.js';
export interface Watch {
  id: string;
  label?: string;
  terms?: string[];
  query?: string;
  exclude?: string[];
  [other: string]: unknown;
}
export interface PreviewItem {
  itemId: string;
  title: string;
  url?: string;
  publishedAt?: string;
  snippets?: string[];
}
export interface Preview {
  matched: PreviewItem[];
  gained: PreviewItem[];
  lost: PreviewItem[];
}
export interface Webhook {
  id: string;
  url: string;
  secret: 'set' | 'unset';
  format?: string;
  watches?: string[];
}
export interface List<T> {
  items: T[];
  nextCursor?: string | null;
}
