/**
 * Roles and their permissions: list, create, and one role's page where its permissions are
 * chosen among the scopes of every API (checkboxes, saved with If-Match), and delete (confirmed).
 * A changed role counts at the user's next token: scopes are worked out at every issuance.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { apiClient, fieldErrors, problemOf, type Problem } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { readForm } from './form.js';
import { renderConsole, seeOther } from './page.js';
import { refused, unwrap } from './respond.js';

const base = '/console/roles';
const roleHref = (id: string) => `${base}/${encodeURIComponent(id)}`;

async function listPage(ctx: Context, deps: ConsoleDeps, form?: { values: Record<string, string>; problem: Problem }) {
  const roles = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/roles', { params: { query: { limit: 100 } } }), base);
  if (!roles) return;
  if (form) ctx.status = form.problem.status;
  renderConsole(ctx, deps, 'roles', {
    titleId: 'console.nav.roles',
    screen: 'roles',
    roles: roles.items,
    values: form?.values ?? {},
    errors: fieldErrors(form?.problem),
    formError: form && !form.problem.errors?.length ? form.problem.detail ?? form.problem.title : undefined,
  });
}

async function rolePage(ctx: Context, deps: ConsoleDeps, id: string) {
  const api = apiClient(ctx, deps);
  const result = await api.GET('/roles/{roleId}', { params: { path: { roleId: id } } });
  const role = unwrap(ctx, deps, result, base);
  if (!role) return;
  const apis = unwrap(ctx, deps, await api.GET('/resource-servers', { params: { query: { limit: 100 } } }), base);
  if (!apis) return;
  const held = new Set(role.permissions.map((p) => `${p.resource} ${p.scope}`));
  renderConsole(ctx, deps, 'role', {
    titleId: 'console.roleTitle',
    titleValues: { name: role.name },
    screen: 'roles',
    role,
    version: result.response.headers.get('etag') ?? '',
    apis: apis.items.map((a) => ({ identifier: a.identifier, name: a.name, scopes: a.scopes.map((s) => ({ ...s, key: `${a.identifier} ${s.value}`, held: held.has(`${a.identifier} ${s.value}`) })) })),
  });
}

export function registerRoles(router: Router, deps: ConsoleDeps): void {
  router.get(base, (ctx) => listPage(ctx, deps));

  router.post(base, async (ctx) => {
    const form = readForm(ctx);
    const values = { name: form.text('name'), description: form.text('description') };
    const result = await apiClient(ctx, deps).POST('/roles', { body: values });
    if (result.response.status === 201 && result.data) return seeOther(ctx, roleHref(result.data.id), { id: 'console.roleCreated', values: { name: values.name } });
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400 || problem.status === 409) return listPage(ctx, deps, { values, problem });
    refused(ctx, deps, problem, base);
  });

  router.get(`${base}/:id`, (ctx) => rolePage(ctx, deps, ctx.params.id ?? ''));

  router.post(`${base}/:id`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    // Each checkbox value is "<resource> <scope>": an API identifier holds no space, a scope neither.
    const permissions = form.all('permission').flatMap((value) => {
      const at = value.lastIndexOf(' ');
      return at > 0 ? [{ resource: value.slice(0, at), scope: value.slice(at + 1) }] : [];
    });
    const result = await apiClient(ctx, deps).PATCH('/roles/{roleId}', {
      params: { path: { roleId: id }, header: { 'If-Match': form.text('version') } },
      body: { description: form.text('description'), permissions },
    });
    if (result.response.ok) return seeOther(ctx, roleHref(id), { id: 'console.saved' });
    refused(ctx, deps, problemOf(result.response, result.error), roleHref(id));
  });

  router.post(`${base}/:id/delete`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).DELETE('/roles/{roleId}', { params: { path: { roleId: id }, header: { 'If-Match': form.text('version') } } });
    if (result.response.ok) return seeOther(ctx, base, { id: 'console.roleDeleted' });
    refused(ctx, deps, problemOf(result.response, result.error), roleHref(id));
  });
}
