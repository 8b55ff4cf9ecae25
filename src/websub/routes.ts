/**
 * The callback hubs call, `/websub/<feed>` on the service's HTTP port: GET for verifications of
 * intent, POST for content. The body is read raw (the signature is over its exact bytes), up to
 * `fetch.maxBytes` like a polled feed's; a larger one is answered 413.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebsubDeps } from './deps.js';
import { receivePush } from './receive.js';
import type { CallbackAnswer } from './verify.js';
import { verifyIntent } from './verify.js';

const FEED_ID = /^[a-z0-9_-]{1,200}$/;

type Req = FastifyRequest<{ Params: { feedId: string }; Querystring: Record<string, unknown> }>;

const first = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
const header = (req: Req, name: string) => first(req.headers[name]);

function send(reply: FastifyReply, answer: CallbackAnswer) {
  return reply.code(answer.status).type('text/plain; charset=utf-8').send(answer.body);
}

export async function registerWebsub(app: FastifyInstance, d: WebsubDeps): Promise<void> {
  const bodyLimit = d.current().config.fetch.maxBytes;
  await app.register((scope, _opts, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, next) => next(null, body));
    const hide = { schema: { hide: true } };
    // Feed ids are lower-case letters, digits, "-" and "_"; nothing else is looked up.
    scope.addHook('onRequest', async (req: Req, reply) => {
      if (!FEED_ID.test(req.params.feedId))
        return send(reply, { status: 404, body: 'no such subscription\n' });
    });
    scope.get('/websub/:feedId', hide, async (req: Req, reply) => {
      const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, first(v)]));
      return send(reply, await verifyIntent(d, req.params.feedId, query));
    });
    scope.post('/websub/:feedId', { ...hide, bodyLimit }, async (req: Req, reply) => {
      const answer = await receivePush(d, req.params.feedId, {
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        signature: header(req, 'x-hub-signature'),
        contentType: header(req, 'content-type'),
        link: header(req, 'link'),
      });
      return send(reply, answer);
    });
    done();
  });
}
