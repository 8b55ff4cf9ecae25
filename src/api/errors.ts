/**
 * The API's errors: one JSON shape, `{"error":{"code","message","path"}}`, for every refusal,
 * whether it comes from a handler, the schema validation, the body limit or an unknown route.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Logger } from '../adapters/logger.js';
import { fieldName, type ConfigIssue } from '../config/load.js';

export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid'
  | 'conflict'
  | 'in-use'
  | 'stale'
  | 'too-large'
  | 'unavailable'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The first problem of a config check, its path relative to the entry at `prefix` when it lies inside it. */
export function invalid(issues: ConfigIssue[], prefix: (string | number)[] = []): ApiError {
  const first = issues[0];
  const inside = prefix.length > 0 && prefix.every((p, i) => first.path[i] === p);
  const path = inside ? first.path.slice(prefix.length) : first.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ApiError(400, 'invalid', `${fieldName(path)}: ${first.message}${more}`, fieldName(path));
}

export function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  const body: { code: string; message: string; path?: string } = { code: err.code, message: err.message };
  if (err.path !== undefined) body.path = err.path;
  return reply.code(err.status).type('application/json; charset=utf-8').send({ error: body });
}

/** Maps every error under the API to its JSON shape; an unexpected one is logged once and is a 500. */
export function handleApiErrors(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const keys = first.params.keys as string[] | undefined;
      const at = [
        ...first.instancePath
          .split('/')
          .filter(Boolean)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        ...(keys?.slice(0, 1) ?? []),
      ];
      const path = fieldName(at);
      const message = keys ? `unknown key "${keys[0]}"` : first.message;
      return sendError(
        reply,
        new ApiError(400, 'invalid', `${err.validationContext} ${path}: ${message}`, path),
      );
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendError(reply, new ApiError(413, 'too-large', err.message));
    if (err.statusCode !== undefined && err.statusCode < 500)
      return sendError(reply, new ApiError(err.statusCode, 'invalid', err.message));
    logger.error({ method: req.method, url: req.url, err: err.message }, 'API request failed');
    return sendError(reply, new ApiError(500, 'internal', 'the request failed on the server; see its log'));
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, new ApiError(404, 'not-found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
}
