/**
 * The console's only way to the data: the public admin API over HTTP, through openapi-fetch
 * typed by console/admin-api.d.ts (generated from GET /admin/v1/openapi.json; a unit test fails
 * when it drifts), with the signed-in administrator's access token. What the API refuses is
 * shown as the API said it: 401 → sign in again, 412 → "changed by someone else — reload",
 * 400 field errors by their field, anything else as its problem title.
 */
import type { Context } from 'koa';
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './admin-api.js';
import type { ConsoleDeps } from './deps.js';
import type { ConsoleSession } from './session.js';

export type AdminClient = Client<paths>;

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
}

export function apiClient(ctx: Context, deps: ConsoleDeps): AdminClient {
  const session = ctx.state.console as ConsoleSession;
  return createClient<paths>({
    baseUrl: `${deps.options.apiUrl}/admin/v1`,
    headers: { authorization: `Bearer ${session.accessToken}`, accept: 'application/json' },
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

/** The problem of a failed call (RFC 9457 body when there is one). */
export function problemOf(response: Response, error: unknown): Problem {
  const body = (error ?? {}) as Partial<Problem>;
  return {
    status: response.status,
    title: typeof body.title === 'string' ? body.title : response.statusText,
    ...(typeof body.detail === 'string' ? { detail: body.detail } : {}),
    ...(typeof body.code === 'string' ? { code: body.code } : {}),
    ...(Array.isArray(body.errors) ? { errors: body.errors } : {}),
  };
}

/** Field errors keyed by the form field they belong to: `body.redirect_uris.1` → `redirect_uris`. */
export function fieldErrors(problem: Problem | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { field, message } of problem?.errors ?? []) {
    const name = field.replace(/^(body|query|params)\./, '').split('.')[0] ?? field;
    (out[name] ??= []).push(message);
  }
  return out;
}

/** The message id a screen shows for a refused call. */
export function problemMessageId(problem: Problem): string {
  if (problem.status === 412 || problem.status === 428) return 'console.staleEdit';
  if (problem.status === 403) return 'console.forbidden';
  if (problem.status === 404) return 'console.notFound';
  if (problem.status === 409) return 'console.conflict';
  if (problem.status >= 500) return 'console.serverError';
  return 'console.refused';
}
