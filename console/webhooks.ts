/**
 * Webhooks: subscriptions (create — the signing secret shown once —, pause/resume, delete
 * confirmed) and each one's deliveries with their status and attempts, with replay.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { apiClient, fieldErrors, problemOf, type Problem } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { readForm } from './form.js';
import { renderConsole, seeOther } from './page.js';
import { refused, unwrap } from './respond.js';

const base = '/console/webhooks';
const hookHref = (id: string) => `${base}/${encodeURIComponent(id)}`;

async function listPage(ctx: Context, deps: ConsoleDeps, form?: { values: Record<string, unknown>; problem: Problem }) {
  const page = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/webhooks', { params: { query: { limit: 100 } } }), base);
  if (!page) return;
  if (form) ctx.status = form.problem.status;
  renderConsole(ctx, deps, 'webhooks', {
    titleId: 'console.nav.webhooks',
    screen: 'webhooks',
    hooks: page.items,
    values: form?.values ?? { event_types: 'admin.user.created\nadmin.user.updated' },
    errors: fieldErrors(form?.problem),
    formError: form && !form.problem.errors?.length ? form.problem.detail ?? form.problem.title : undefined,
  });
}

export function registerWebhooks(router: Router, deps: ConsoleDeps): void {
  router.get(base, (ctx) => listPage(ctx, deps));

  router.post(base, async (ctx) => {
    const form = readForm(ctx);
    const body = { url: form.text('url'), description: form.text('description'), event_types: form.lines('event_types').flatMap((l) => l.split(/[\s,]+/)).filter(Boolean) };
    const result = await apiClient(ctx, deps).POST('/webhooks', { body: body as never });
    if (result.response.status === 201 && result.data) {
      ctx.status = 201;
      return renderConsole(ctx, deps, 'secret', { titleId: 'console.webhookCreated', screen: 'webhooks', secret: result.data.secret, next: hookHref(result.data.id) });
    }
    const problem = problemOf(result.response, result.error);
    if (problem.status === 400 || problem.status === 409) return listPage(ctx, deps, { values: { ...body, event_types: form.text('event_types') }, problem });
    refused(ctx, deps, problem, base);
  });

  router.get(`${base}/:id`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const api = apiClient(ctx, deps);
    const result = await api.GET('/webhooks/{subscriptionId}', { params: { path: { subscriptionId: id } } });
    const hook = unwrap(ctx, deps, result, base);
    if (!hook) return;
    const deliveries = unwrap(ctx, deps, await api.GET('/webhooks/{subscriptionId}/deliveries', { params: { path: { subscriptionId: id }, query: { limit: 50 } } }), base);
    if (!deliveries) return;
    renderConsole(ctx, deps, 'webhook', { titleId: 'console.webhookTitle', screen: 'webhooks', hook, version: result.response.headers.get('etag') ?? '', deliveries: deliveries.items });
  });

  router.post(`${base}/:id/active`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).PATCH('/webhooks/{subscriptionId}', { params: { path: { subscriptionId: id }, header: { 'If-Match': form.text('version') } }, body: { active: form.text('active') === 'true' } });
    if (result.response.ok) return seeOther(ctx, hookHref(id), { id: 'console.saved' });
    refused(ctx, deps, problemOf(result.response, result.error), hookHref(id));
  });

  router.post(`${base}/:id/delete`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).DELETE('/webhooks/{subscriptionId}', { params: { path: { subscriptionId: id }, header: { 'If-Match': form.text('version') } } });
    if (result.response.ok) return seeOther(ctx, base, { id: 'console.webhookDeleted' });
    refused(ctx, deps, problemOf(result.response, result.error), hookHref(id));
  });

  router.post(`${base}/:id/replay`, async (ctx) => {
    const id = ctx.params.id ?? '';
    const form = readForm(ctx);
    const result = await apiClient(ctx, deps).POST('/webhooks/{subscriptionId}/deliveries/{deliveryId}/replay', { params: { path: { subscriptionId: id, deliveryId: form.text('delivery') } } });
    if (result.response.ok) return seeOther(ctx, hookHref(id), { id: 'console.replayed' });
    refused(ctx, deps, problemOf(result.response, result.error), hookHref(id));
  });
}
