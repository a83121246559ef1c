/**
 * Users: search (name, email or username, anywhere in them), paging, create, and one user's page — profile edit
 * (If-Match with the version the form was rendered from: a stale edit is a 412, shown as
 * "changed by someone else — reload"), disable/enable, force a password reset, reset MFA,
 * roles, sessions (end one or all), apps (revoke), linked identities (unlink, confirmed; the API
 * refuses the last way to sign in), and the user's audit history.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { apiClient, fieldErrors, problemOf, type Problem } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { readForm } from './form.js';
import { renderConsole, seeOther } from './page.js';
import { refused, unwrap } from './respond.js';

const base = '/console/users';
const userHref = (id: string) => `${base}/${encodeURIComponent(id)}`;
const q = (v: unknown) => (typeof v === 'string' && v.length <= 254 ? v : undefined);

async function listPage(ctx: Context, deps: ConsoleDeps, form?: { values: Record<string, string>; problem: Problem }) {
  const api = apiClient(ctx, deps);
  const search = q(ctx.query.q)?.trim().slice(0, 200) ?? '';
  const cursor = q(ctx.query.cursor);
  // One box for all: the API matches it in the name, the email and the username.
  const filter = search ? { q: search } : {};
  const page = unwrap(ctx, deps, await api.GET('/users', { params: { query: { limit: 20, ...filter, ...(cursor ? { cursor } : {}) } } }), base);
  if (!page) return;
  const roles = unwrap(ctx, deps, await api.GET('/roles', { params: { query: { limit: 100 } } }), base);
  if (!roles) return;
  if (form) ctx.status = form.problem.status;
  renderConsole(ctx, deps, 'users', {
    titleId: 'console.nav.users',
    screen: 'users',
    search,
    users: page.items,
    roles: roles.items.map((r) => r.name),
    nextHref: page.next_cursor ? `${base}?${new URLSearchParams({ ...(search ? { q: search } : {}), cursor: page.next_cursor })}` : undefined,
    firstHref: cursor ? `${base}${search ? `?${new URLSearchParams({ q: search })}` : ''}` : undefined,
    values: form?.values ?? {},
    errors: fieldErrors(form?.problem),
    formError: form && !form.problem.errors?.length ? form.problem.detail ?? form.problem.title : undefined,
  });
}

async function userPage(ctx: Context, deps: ConsoleDeps, id: string, edit?: { problem: Problem }) {
  const api = apiClient(ctx, deps);
  const path = { params: { path: { userId: id } } };
  const result = await api.GET('/users/{userId}', path);
  const user = unwrap(ctx, deps, result, base);
  if (!user) return;
  const [sessions, grants, roles, history, identities] = await Promise.all([
    api.GET('/users/{userId}/sessions', { params: { path: { userId: id }, query: { limit: 100 } } }),
    api.GET('/users/{userId}/grants', { params: { path: { userId: id }, query: { limit: 100 } } }),
    api.GET('/roles', { params: { query: { limit: 100 } } }),
    api.GET('/audit/records', { params: { query: { subject: id, limit: 20 } } }),
    api.GET('/users/{userId}/identities', path),
  ]);
  const back = userHref(id);
  const s = unwrap(ctx, deps, sessions, base);
  const g = s && unwrap(ctx, deps, grants, base);
  const r = g && unwrap(ctx, deps, roles, base);
  const h = r && unwrap(ctx, deps, history, back);
  const i = h && unwrap(ctx, deps, identities, back);
  if (!s || !g || !r || !h || !i) return;
  if (edit) ctx.status = edit.problem.status;
  renderConsole(ctx, deps, 'user', {
    titleId: 'console.userTitle',
    titleValues: { username: user.username },
    screen: 'users',
    user,
    version: result.response.headers.get('etag') ?? '',
    sessions: s.items,
    grants: g.items,
    roles: r.items.map((role) => role.name),
    history: h.items,
    identities: i.items,
    errors: fieldErrors(edit?.problem),
  });
}

export function registerUsers(router: Router, deps: ConsoleDeps): void {
  router.get(base, (ctx) => listPage(ctx, deps));

  router.post(base, async (ctx) => {
    const form = readForm(ctx);
    const username = form.text('username');
    const email = form.optional('email');
    const password = form.optional('password');
    const role = form.optional('role');
    const result = await apiClient(ctx, deps).POST('/users', {
      body: { username, ...(email ? { email } : {}), ...(password ? { password, must_change_password: form.checked('must_change_password') } : {}), ...(role ? { roles: [role] } : {}) },
    });
    if (result.response.status === 201 && result.data) return seeOther(ctx, userHref(result.data.id), { id: 'console.userCreated', values: { username } });
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400 || problem.status === 409) return listPage(ctx, deps, { values: { username, email: email ?? '' }, problem });
    refused(ctx, deps, problem, base);
  });

  router.get(`${base}/:id`, (ctx) => userPage(ctx, deps, ctx.params.id ?? ''));

  router.post(`${base}/:id/profile`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const email = form.optional('email');
    const result = await apiClient(ctx, deps).PATCH('/users/{userId}', {
      params: { path: { userId: id }, header: { 'If-Match': form.text('version') } },
      body: { email: email ?? null, profile: { name: form.optional('name') ?? null } },
    });
    if (result.response.ok) return seeOther(ctx, userHref(id), { id: 'console.saved' });
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400) return userPage(ctx, deps, id, { problem });
    refused(ctx, deps, problem, userHref(id));
  });

  const action = (name: 'disable' | 'enable' | 'password-reset' | 'mfa-reset', notice: string) =>
    router.post(`${base}/:id/${name}`, async (ctx) => {
      const id = ctx.params.id ?? '';
      readForm(ctx);
      const result = await apiClient(ctx, deps).POST(`/users/{userId}/${name}`, { params: { path: { userId: id } } });
      if (result.response.ok) return seeOther(ctx, userHref(id), { id: notice });
      refused(ctx, deps, problemOf(result.response, result.error), userHref(id));
    });
  action('disable', 'console.userDisabled');
  action('enable', 'console.userEnabled');
  action('password-reset', 'console.passwordResetForced');
  action('mfa-reset', 'console.mfaReset');

  router.post(`${base}/:id/roles`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const chosen = form.all('roles');
    const result = await apiClient(ctx, deps).PUT('/users/{userId}/roles', {
      params: { path: { userId: id }, header: { 'If-Match': form.text('version') }, query: form.checked('revoke_grants') ? { revoke_grants: 'true' } : {} },
      body: { roles: chosen },
    });
    if (result.response.ok) return seeOther(ctx, userHref(id), { id: 'console.rolesSaved' });
    refused(ctx, deps, problemOf(result.response, result.error), userHref(id));
  });

  router.post(`${base}/:id/sessions/end`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const api = apiClient(ctx, deps);
    const only = form.optional('session');
    let ids: string[];
    if (only) ids = [only];
    else {
      const list = unwrap(ctx, deps, await api.GET('/users/{userId}/sessions', { params: { path: { userId: id }, query: { limit: 100 } } }), userHref(id));
      if (!list) return;
      ids = list.items.map((s) => s.id);
    }
    for (const sessionId of ids) {
      const result = await api.DELETE('/users/{userId}/sessions/{sessionId}', { params: { path: { userId: id, sessionId } } });
      if (!result.response.ok && result.response.status !== 404) return refused(ctx, deps, problemOf(result.response, result.error), userHref(id));
    }
    seeOther(ctx, `${userHref(id)}#sessions`, { id: 'console.sessionsEnded', values: { count: String(ids.length) } });
  });

  router.post(`${base}/:id/grants/revoke`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).DELETE('/users/{userId}/grants/{grantId}', { params: { path: { userId: id, grantId: form.text('grant') } } });
    if (result.response.ok) return seeOther(ctx, `${userHref(id)}#apps`, { id: 'console.appRevoked' });
    refused(ctx, deps, problemOf(result.response, result.error), userHref(id));
  });

  router.post(`${base}/:id/identities/unlink`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).DELETE('/users/{userId}/identities/{identityId}', { params: { path: { userId: id, identityId: form.text('identity') } } });
    if (result.response.ok) return seeOther(ctx, `${userHref(id)}#identities`, { id: 'console.identityUnlinked' });
    refused(ctx, deps, problemOf(result.response, result.error), userHref(id));
  });
}
