/**
 * Clients: list, create (a generated secret is shown once, in the POST's own answer, with a copy
 * button), edit name, redirect URIs and origins (the API's field errors by their field; If-Match
 * with the version the form was rendered from), rotate the secret, delete (confirmed), and
 * "try sign-in": a real authorization request (code + PKCE) for the client, to its first
 * redirect URI.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createHash, randomBytes } from 'node:crypto';
import { apiClient, fieldErrors, problemOf, type Problem } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { readForm, type Form } from './form.js';
import { renderConsole, seeOther } from './page.js';
import { refused, unwrap } from './respond.js';

const base = '/console/clients';
const clientHref = (id: string) => `${base}/${encodeURIComponent(id)}`;
const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

type ClientJson = Record<string, unknown> & { client_id: string; has_secret: boolean; source: string };

async function listPage(ctx: Context, deps: ConsoleDeps, form?: { values: Record<string, unknown>; problem: Problem }) {
  const cursor = typeof ctx.query.cursor === 'string' && ctx.query.cursor.length < 512 ? ctx.query.cursor : undefined;
  const page = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/clients', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } }), base);
  if (!page) return;
  if (form) ctx.status = form.problem.status;
  renderConsole(ctx, deps, 'clients', {
    titleId: 'console.nav.clients',
    screen: 'clients',
    clients: page.items as ClientJson[],
    nextHref: page.next_cursor ? `${base}?${new URLSearchParams({ cursor: page.next_cursor })}` : undefined,
    grants: GRANTS,
    values: form?.values ?? { grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile email', confidential: true },
    errors: fieldErrors(form?.problem),
    formError: form && !form.problem.errors?.length ? form.problem.detail ?? form.problem.title : undefined,
  });
}

async function clientPage(ctx: Context, deps: ConsoleDeps, id: string, edit?: { values: Record<string, unknown>; problem: Problem }) {
  const result = await apiClient(ctx, deps).GET('/clients/{clientId}', { params: { path: { clientId: id } } });
  const client = unwrap(ctx, deps, result, base) as ClientJson | undefined;
  if (!client) return;
  if (edit) ctx.status = edit.problem.status;
  renderConsole(ctx, deps, 'client', {
    titleId: 'console.clientTitle',
    titleValues: { clientId: client.client_id },
    screen: 'clients',
    client,
    version: result.response.headers.get('etag') ?? '',
    values: edit?.values ?? client,
    errors: fieldErrors(edit?.problem),
    formError: edit && !edit.problem.errors?.length ? edit.problem.detail ?? edit.problem.title : undefined,
  });
}

function definitionFrom(form: Form) {
  const confidential = form.checked('confidential');
  const grants = form.all('grant_types').filter((g) => (GRANTS as readonly string[]).includes(g));
  return {
    client_id: form.text('client_id'),
    ...(form.optional('client_name') ? { client_name: form.text('client_name') } : {}),
    token_endpoint_auth_method: confidential ? 'client_secret_basic' : 'none',
    redirect_uris: form.lines('redirect_uris'),
    web_origins: form.lines('web_origins'),
    grant_types: grants,
    ...(form.optional('scope') ? { scope: form.text('scope') } : {}),
  };
}

export function registerClients(router: Router, deps: ConsoleDeps): void {
  router.get(base, (ctx) => listPage(ctx, deps));

  router.post(base, async (ctx) => {
    const form = readForm(ctx);
    const body = definitionFrom(form);
    const result = await apiClient(ctx, deps).POST('/clients', { body: body as never });
    if (result.response.status === 201 && result.data) {
      const created = result.data as ClientJson & { client_secret?: string };
      ctx.status = 201;
      return renderConsole(ctx, deps, 'secret', {
        titleId: 'console.clientCreated',
        titleValues: { clientId: created.client_id },
        screen: 'clients',
        subjectId: created.client_id,
        secret: created.client_secret,
        next: clientHref(created.client_id),
      });
    }
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400 || problem.status === 409) return listPage(ctx, deps, { values: { ...body, confidential: form.checked('confidential'), redirect_uris: body.redirect_uris, web_origins: body.web_origins }, problem });
    refused(ctx, deps, problem, base);
  });

  router.get(`${base}/:id`, (ctx) => clientPage(ctx, deps, ctx.params.id ?? ''));

  router.post(`${base}/:id`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const body = {
      client_name: form.optional('client_name') ?? null,
      redirect_uris: form.lines('redirect_uris'),
      post_logout_redirect_uris: form.lines('post_logout_redirect_uris'),
      web_origins: form.lines('web_origins'),
    };
    const result = await apiClient(ctx, deps).PATCH('/clients/{clientId}', { params: { path: { clientId: id }, header: { 'If-Match': form.text('version') } }, body });
    if (result.response.ok) return seeOther(ctx, clientHref(id), { id: 'console.saved' });
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400) return clientPage(ctx, deps, id, { values: { client_id: id, ...body }, problem });
    refused(ctx, deps, problem, clientHref(id));
  });

  router.post(`${base}/:id/secret`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).POST('/clients/{clientId}/secret', { params: { path: { clientId: id }, header: { 'If-Match': form.text('version') } } });
    if (!result.response.ok || !result.data) return refused(ctx, deps, problemOf(result.response, result.error), clientHref(id));
    renderConsole(ctx, deps, 'secret', { titleId: 'console.secretRotated', titleValues: { clientId: id }, screen: 'clients', subjectId: id, secret: result.data.client_secret, next: clientHref(id) });
  });

  router.post(`${base}/:id/delete`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).DELETE('/clients/{clientId}', { params: { path: { clientId: id }, header: { 'If-Match': form.text('version') } } });
    if (result.response.ok) return seeOther(ctx, base, { id: 'console.clientDeleted', values: { clientId: id } });
    refused(ctx, deps, problemOf(result.response, result.error), clientHref(id));
  });

  // A real authorization request for the client, as it would send one: the browser ends at its redirect URI with a code.
  router.get(`${base}/:id/try`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const client = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/clients/{clientId}', { params: { path: { clientId: id } } }), base) as ClientJson | undefined;
    if (!client) return;
    const redirectUri = Array.isArray(client.redirect_uris) ? (client.redirect_uris[0] as string | undefined) : undefined;
    if (!redirectUri) return seeOther(ctx, clientHref(id), { id: 'console.noRedirectUri', kind: 'error' });
    const params = new URLSearchParams({
      client_id: id,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid',
      state: randomBytes(16).toString('base64url'),
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'login',
    });
    ctx.redirect(`/auth?${params}`);
  });
}
