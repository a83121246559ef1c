/**
 * APIs (resource servers): their scopes, token format and lifetime; create, edit (If-Match) and
 * delete (confirmed). Scopes are edited one per line as `value description`.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { apiClient, fieldErrors, problemOf, type Problem } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { readForm, type Form } from './form.js';
import { renderConsole, seeOther } from './page.js';
import { refused, unwrap } from './respond.js';

const base = '/console/apis';
const apiHref = (identifier: string) => `${base}/${encodeURIComponent(identifier)}`;

const scopesFrom = (form: Form) =>
  form.lines('scopes').map((line) => {
    const [value = '', ...rest] = line.split(/\s+/);
    return { value, description: rest.join(' ') || value };
  });

function ttlFrom(form: Form): number | null {
  const text = form.text('access_token_ttl');
  return text && /^\d{1,9}$/.test(text) ? Number(text) : text ? Number.NaN : null;
}

async function listPage(ctx: Context, deps: ConsoleDeps, form?: { values: Record<string, unknown>; problem: Problem }) {
  const apis = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/resource-servers', { params: { query: { limit: 100 } } }), base);
  if (!apis) return;
  if (form) ctx.status = form.problem.status;
  renderConsole(ctx, deps, 'apis', {
    titleId: 'console.nav.apis',
    screen: 'apis',
    apis: apis.items,
    values: form?.values ?? {},
    errors: fieldErrors(form?.problem),
    formError: form && !form.problem.errors?.length ? form.problem.detail ?? form.problem.title : undefined,
  });
}

async function apiPage(ctx: Context, deps: ConsoleDeps, identifier: string, edit?: { problem: Problem }) {
  const result = await apiClient(ctx, deps).GET('/resource-servers/{identifier}', { params: { path: { identifier } } });
  const api = unwrap(ctx, deps, result, base);
  if (!api) return;
  if (edit) ctx.status = edit.problem.status;
  renderConsole(ctx, deps, 'api', {
    titleId: 'console.apiTitle',
    titleValues: { name: api.name },
    screen: 'apis',
    api,
    scopesText: api.scopes.map((s) => `${s.value} ${s.description}`).join('\n'),
    version: result.response.headers.get('etag') ?? '',
    errors: fieldErrors(edit?.problem),
    formError: edit && !edit.problem.errors?.length ? edit.problem.detail ?? edit.problem.title : undefined,
  });
}

export function registerApis(router: Router, deps: ConsoleDeps): void {
  router.get(base, (ctx) => listPage(ctx, deps));

  router.post(base, async (ctx) => {
    const form = readForm(ctx);
    const ttl = ttlFrom(form);
    const body = {
      identifier: form.text('identifier'),
      name: form.text('name'),
      scopes: scopesFrom(form),
      access_token_format: form.text('access_token_format') === 'opaque' ? ('opaque' as const) : ('jwt' as const),
      ...(ttl !== null ? { access_token_ttl: ttl } : {}),
    };
    const result = await apiClient(ctx, deps).POST('/resource-servers', { body });
    if (result.response.status === 201 && result.data) return seeOther(ctx, apiHref(result.data.identifier), { id: 'console.apiCreated' });
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400 || problem.status === 409) return listPage(ctx, deps, { values: { ...body, scopes: form.text('scopes'), access_token_ttl: form.text('access_token_ttl') }, problem });
    refused(ctx, deps, problem, base);
  });

  router.get(`${base}/:identifier`, (ctx) => apiPage(ctx, deps, ctx.params.identifier ?? ''));

  router.post(`${base}/:identifier`, async (ctx) => {
    const identifier = ctx.params.identifier ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).PATCH('/resource-servers/{identifier}', {
      params: { path: { identifier }, header: { 'If-Match': form.text('version') } },
      body: { name: form.text('name'), scopes: scopesFrom(form), access_token_format: form.text('access_token_format') === 'opaque' ? 'opaque' : 'jwt', access_token_ttl: ttlFrom(form) },
    });
    if (result.response.ok) return seeOther(ctx, apiHref(identifier), { id: 'console.saved' });
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400) return apiPage(ctx, deps, identifier, { problem });
    refused(ctx, deps, problem, apiHref(identifier));
  });

  router.post(`${base}/:identifier/delete`, async (ctx) => {
    const identifier = ctx.params.identifier ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).DELETE('/resource-servers/{identifier}', { params: { path: { identifier }, header: { 'If-Match': form.text('version') } } });
    if (result.response.ok) return seeOther(ctx, base, { id: 'console.apiDeleted' });
    refused(ctx, deps, problemOf(result.response, result.error), apiHref(identifier));
  });
}
