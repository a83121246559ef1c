/** A Koa app on a free port for the browser kit's tests, answering errors as status + code. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import Koa from 'koa';
import { isAppError } from '../../../server/shared/errors.js';

export interface Served {
  base: string;
  close(): void;
}

export async function serve(keys: string[], router: Router): Promise<Served> {
  const app = new Koa({ keys });
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = isAppError(error) ? error.status : 500;
      ctx.body = isAppError(error) ? error.code : 'internal';
    }
  });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** The `name=value` pairs of a response's Set-Cookie headers, for a Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers.getSetCookie().map((header) => header.split(';')[0]!).filter((pair) => !pair.endsWith('=')).join('; ');
}
