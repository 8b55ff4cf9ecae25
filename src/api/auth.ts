/**
 * Bearer tokens: every API request names a configured token (compared in constant time); a read
 * token may only read. The token's name is who a change is recorded as; the token itself is never
 * logged or returned.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiConfig } from '../config/schema.js';
import { ApiError } from './errors.js';

export interface Principal {
  name: string;
  scope: 'read' | 'write';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; by default GET and HEAD read, the rest write. */
    scope?: 'read' | 'write';
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The token the header names, checking every configured token so the time does not tell which. */
export function principalOf(header: string | undefined, tokens: ApiConfig['tokens']): Principal | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const given = digest(m[1]);
  let found: Principal | undefined;
  for (const t of tokens) {
    if (t.token !== '' && timingSafeEqual(given, digest(t.token)) && !found)
      found = { name: t.name, scope: t.scope };
  }
  return found;
}

/** Who makes the request, or a 401/403. */
export function authorize(req: FastifyRequest, tokens: ApiConfig['tokens']): Principal {
  const principal = principalOf(req.headers.authorization, tokens);
  if (!principal)
    throw new ApiError(401, 'unauthorized', 'send a valid API token: Authorization: Bearer <token>');
  const needs =
    req.routeOptions.config.scope ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write');
  if (needs === 'write' && principal.scope !== 'write') {
    throw new ApiError(
      403,
      'forbidden',
      `the token "${principal.name}" may only read; changes need a write token`,
    );
  }
  return principal;
}
