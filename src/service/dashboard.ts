/**
 * The optional queue dashboard (bull-board) at /admin/queues: off unless the config enables it,
 * and then behind HTTP Basic auth with the configured token as the password, so a browser can
 * open it. Its libraries are loaded only when it is enabled.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Queues } from '../adapters/queues.js';

export const DASHBOARD_PATH = '/admin/queues';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function createDashboard(queues: Queues, token: string): Promise<RequestHandler> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [queues.poll, queues.items, queues.deliver].map((q) => new BullMQAdapter(q)),
    serverAdapter,
  });
  const app = serverAdapter.getRouter() as RequestHandler;
  return (req, res) => {
    if (!authorized(req.headers.authorization, token)) {
      res.writeHead(401, {
        'www-authenticate': 'Basic realm="mediawatch", charset="UTF-8"',
        'content-type': 'text/plain',
      });
      res.end('authentication required\n');
      return;
    }
    // Mounted the way express mounts a sub-app: the router sees paths below the base path.
    req.url = req.url!.slice(DASHBOARD_PATH.length) || '/';
    app(req, res);
  };
}

/** Basic auth, any user name, the token as password; compared in constant time. */
export function authorized(header: string | undefined, token: string): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  const a = crypto.createHash('sha256').update(password).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}
