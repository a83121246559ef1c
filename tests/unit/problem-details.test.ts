/**
 * server/http/middleware/problem-details.ts on a small Koa app over real HTTP: RFC 9457
 * problem+json for JSON callers, an HTML page for browsers and interaction routes, and nothing
 * internal (message, stack) in the answer to a server error.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import { problemDetails } from '../../server/http/middleware/problem-details.js';
import { requestContext } from '../../server/http/middleware/request-context.js';
import { createRenderer } from '../../adapters/views/eta-renderer.js';
import { createTranslations } from '../../adapters/i18n/i18next-translations.js';
import { AppError } from '../../server/shared/errors.js';

const INTERNAL = 'connection to db.internal:5432 refused by pg_hba.conf';
const logs: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(createLogger('info', sink)));
  app.use(problemDetails(createRenderer({ cache: false, productName: 'Test', translations: createTranslations() })));
  app.use((ctx) => {
    if (ctx.path.endsWith('/invalid')) {
      throw new AppError('invalid_input', 'email is not an email address', { fields: [{ field: 'email', message: 'invalid_email' }] });
    }
    if (ctx.path.endsWith('/limited')) throw new AppError('rate_limited', 'slow down', { retryAfterSeconds: 17 });
    if (ctx.path.endsWith('/internal-app-error')) throw new AppError('internal', INTERNAL);
    if (ctx.path.endsWith('/crash')) throw new Error(INTERNAL);
    ctx.body = { ok: true };
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = { accept: 'application/json' };

describe('problem details', () => {
  it('answers a client error as RFC 9457 problem+json naming the fields', async () => {
    const response = await fetch(`${base}/api/invalid`, { headers: json });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await response.json();
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'email is not an email address',
      code: 'invalid_input',
      requestId: response.headers.get('x-request-id'),
      errors: [{ field: 'email', message: 'invalid_email' }],
    });
  });

  it('sends Retry-After with a rate-limit problem', async () => {
    const response = await fetch(`${base}/api/limited`, { method: 'POST', headers: json });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('17');
    expect(await response.json()).toMatchObject({ status: 429, code: 'rate_limited' });
  });

  it.each(['/api/crash', '/api/internal-app-error'])('hides the cause of a server error (%s) and logs it without a stack', async (path) => {
    const response = await fetch(`${base}${path}`, { headers: json });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('pg_hba');
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    const problem = JSON.parse(text);
    expect(problem).toMatchObject({ type: 'about:blank', status: 500, code: 'internal', requestId: response.headers.get('x-request-id') });
    expect(problem).not.toHaveProperty('detail');
    const logged = logs.filter((line) => line.includes(response.headers.get('x-request-id')!));
    const entry = logged.map((line) => JSON.parse(line)).find((line) => line.msg === 'unhandled error');
    // The operator's log keeps what the response hides: the kind of error, its code and message.
    expect(entry.err).toEqual(
      path === '/api/crash' ? { type: 'Error', message: INTERNAL } : { type: 'AppError', message: INTERNAL, errorCode: 'internal', status: 500 },
    );
    expect(logged.join('\n')).not.toContain('"stack"');
  });

  it('renders an HTML page for a browser GET and for interaction, account and console routes whatever they accept', async () => {
    for (const [path, init] of [
      ['/account/invalid', { headers: { accept: 'text/html' } }],
      ['/interaction/abc/invalid', { method: 'POST', headers: json }],
      // A console form the browser kit refuses (wrong media type, CSRF) is a page, not problem+json.
      ['/console/clients/invalid', { method: 'POST', headers: { accept: 'text/html' } }],
      ['/console/invalid', { method: 'POST', headers: json }],
    ] as const) {
      const response = await fetch(`${base}${path}`, init);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('email is not an email address');
      expect(html).toContain(response.headers.get('x-request-id'));
    }
  });

  it('does not show a server error’s message on the HTML page either', async () => {
    const response = await fetch(`${base}/account/crash`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain('Something went wrong');
    expect(html).not.toContain('pg_hba');
  });
});
