/**
 * /webhooks: subscriptions of endpoints to audit event types, their delivery history and manual
 * replay. The `whsec_` signing secret appears in the creation response only. URLs are checked
 * against the SSRF policy here and again at every delivery (server/modules/webhooks).
 */
import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '../../../modules/compliance/index.js';
import { HISTORY_LIMIT_MAX, type DeliveryView, type WebhookAdministration, type WebhookSubscription } from '../../../modules/webhooks/index.js';
import type { OutboxEntry } from '../../../modules/notifications/index.js';
import { decodeCursor } from '../../../shared/pagination.js';
import { operation, type AdminResource } from './kit/operation.js';
import { pageJson, pageQuery, pageSchema } from './kit/schemas.js';

const subscriptionSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  event_types: z.array(z.string()),
  active: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
const withSecretSchema = subscriptionSchema.extend({ secret: z.string().describe('The whsec_ signing secret: shown only now, store it') });
const deliverySchema = z.object({
  id: z.uuid(),
  event_type: z.string(),
  status: z.enum(['pending', 'processing', 'delivered', 'dead']),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  next_attempt_at: z.iso.datetime().describe('When it is due (pending) or its lease ends (processing)'),
  last_error: z.string().optional(),
  created_at: z.iso.datetime(),
  delivered_at: z.iso.datetime().optional(),
});
const attemptSchema = z.object({
  attempt: z.number().int(),
  at: z.iso.datetime(),
  status: z.enum(['delivered', 'retry', 'dead', 'status']),
  response_status: z.number().int().optional(),
  duration_ms: z.number().int().optional(),
  error: z.string().optional(),
});
const deliveryDetailSchema = deliverySchema.extend({ attempt_log: z.array(attemptSchema) });

const eventType = z.enum(AUDIT_EVENT_TYPES);
const draftFields = {
  // 2000: longer URLs are not endpoints anyone configures by hand.
  url: z.string().min(1).max(2000).describe('https URL (http allowed outside production); must resolve to public addresses'),
  description: z.string().max(500).optional(),
  event_types: z.array(eventType).min(1).max(AUDIT_EVENT_TYPES.length).describe('Audit event types delivered to this endpoint'),
  active: z.boolean().optional(),
};
const createBody = z.object(draftFields).strict();
const updateBody = z.object({ ...draftFields, url: draftFields.url.optional(), event_types: draftFields.event_types.optional() }).strict();
const subscriptionPath = z.object({ subscriptionId: z.uuid() });
const deliveryPath = z.object({ subscriptionId: z.uuid(), deliveryId: z.uuid() });

function subscriptionJson(s: WebhookSubscription) {
  return { id: s.id, url: s.url, description: s.description, event_types: s.eventTypes, active: s.active, created_at: s.createdAt.toISOString(), updated_at: s.updatedAt.toISOString() };
}

function deliveryJson(d: OutboxEntry) {
  return {
    id: d.id,
    event_type: d.topic,
    status: d.status,
    attempts: d.attempts,
    max_attempts: d.maxAttempts,
    next_attempt_at: d.nextAttemptAt.toISOString(),
    ...(d.lastError ? { last_error: d.lastError } : {}),
    created_at: d.createdAt.toISOString(),
    ...(d.deliveredAt ? { delivered_at: d.deliveredAt.toISOString() } : {}),
  };
}

function deliveryDetailJson(d: DeliveryView) {
  return {
    ...deliveryJson(d),
    attempt_log: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      at: a.at.toISOString(),
      status: a.status,
      ...(a.responseStatus !== undefined ? { response_status: a.responseStatus } : {}),
      ...(a.durationMs !== undefined ? { duration_ms: a.durationMs } : {}),
      ...(a.error ? { error: a.error } : {}),
    })),
  };
}

export function webhooksResource(webhooks: WebhookAdministration): AdminResource {
  const ok = (s: WebhookSubscription, status = 200) => ({ status, body: subscriptionJson(s), version: s.version });
  return {
    tag: { name: 'webhooks', description: 'Webhook subscriptions to audit events (Standard Webhooks), delivery history and replay' },
    schemas: {
      WebhookSubscription: subscriptionSchema,
      WebhookSubscriptionWithSecret: withSecretSchema,
      WebhookSubscriptionPage: pageSchema(subscriptionSchema),
      WebhookDelivery: deliverySchema,
      WebhookDeliveryList: z.object({ items: z.array(deliverySchema) }),
      WebhookDeliveryDetail: deliveryDetailSchema,
    },
    operations: [
      operation({
        method: 'get',
        path: '/webhooks',
        operationId: 'listWebhookSubscriptions',
        summary: 'List webhook subscriptions in order of id',
        scope: 'admin:read',
        query: z.object(pageQuery),
        responses: { 200: { description: 'A page of subscriptions', schema: 'WebhookSubscriptionPage' } },
        handle: async ({ query }) => ({ status: 200, body: pageJson(await webhooks.list({ limit: query.limit, after: decodeCursor(query.cursor) }), subscriptionJson) }),
      }),
      operation({
        method: 'post',
        path: '/webhooks',
        operationId: 'createWebhookSubscription',
        summary: 'Subscribe an endpoint to audit event types; the signing secret is shown once',
        scope: 'admin:write',
        body: createBody,
        responses: { 201: { description: 'The subscription and its secret', schema: 'WebhookSubscriptionWithSecret', etag: true } },
        async handle({ body, by }) {
          const { subscription, secret } = await webhooks.create(by, { url: body.url, description: body.description ?? '', eventTypes: body.event_types, active: body.active ?? true });
          return { status: 201, body: { ...subscriptionJson(subscription), secret }, version: subscription.version, headers: { Location: `/admin/v1/webhooks/${subscription.id}` } };
        },
      }),
      operation({
        method: 'get',
        path: '/webhooks/{subscriptionId}',
        operationId: 'getWebhookSubscription',
        summary: 'Read a subscription (never its secret)',
        scope: 'admin:read',
        params: subscriptionPath,
        responses: { 200: { description: 'The subscription', schema: 'WebhookSubscription', etag: true } },
        problems: [404],
        handle: async ({ params }) => ok(await webhooks.get(params.subscriptionId)),
      }),
      operation({
        method: 'patch',
        path: '/webhooks/{subscriptionId}',
        operationId: 'updateWebhookSubscription',
        summary: 'Change the URL, description, event types or active flag; pending deliveries use the new URL',
        scope: 'admin:write',
        params: subscriptionPath,
        body: updateBody,
        ifMatch: true,
        responses: { 200: { description: 'The subscription', schema: 'WebhookSubscription', etag: true } },
        problems: [404],
        handle: async ({ params, body, by, ifMatch }) =>
          ok(
            await webhooks.update(by, params.subscriptionId, ifMatch, {
              ...(body.url !== undefined ? { url: body.url } : {}),
              ...(body.description !== undefined ? { description: body.description } : {}),
              ...(body.event_types !== undefined ? { eventTypes: body.event_types } : {}),
              ...(body.active !== undefined ? { active: body.active } : {}),
            }),
          ),
      }),
      operation({
        method: 'delete',
        path: '/webhooks/{subscriptionId}',
        operationId: 'deleteWebhookSubscription',
        summary: 'Delete a subscription and its delivery history',
        scope: 'admin:write',
        params: subscriptionPath,
        ifMatch: true,
        responses: { 204: { description: 'Deleted' } },
        problems: [404],
        async handle({ params, by, ifMatch }) {
          await webhooks.remove(by, params.subscriptionId, ifMatch);
          return { status: 204 };
        },
      }),
      operation({
        method: 'get',
        path: '/webhooks/{subscriptionId}/deliveries',
        operationId: 'listWebhookDeliveries',
        summary: 'The latest deliveries to this endpoint, newest first',
        scope: 'admin:read',
        params: subscriptionPath,
        query: z.object({ limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT_MAX).default(20).describe(`Deliveries to show (1-${HISTORY_LIMIT_MAX})`) }),
        responses: { 200: { description: 'Deliveries', schema: 'WebhookDeliveryList' } },
        problems: [404],
        handle: async ({ params, query }) => ({ status: 200, body: { items: (await webhooks.deliveries(params.subscriptionId, query.limit)).map(deliveryJson) } }),
      }),
      operation({
        method: 'get',
        path: '/webhooks/{subscriptionId}/deliveries/{deliveryId}',
        operationId: 'getWebhookDelivery',
        summary: 'One delivery with every attempt (time, response status, duration, error)',
        scope: 'admin:read',
        params: deliveryPath,
        responses: { 200: { description: 'The delivery', schema: 'WebhookDeliveryDetail' } },
        problems: [404],
        handle: async ({ params }) => ({ status: 200, body: deliveryDetailJson(await webhooks.delivery(params.subscriptionId, params.deliveryId)) }),
      }),
      operation({
        method: 'post',
        path: '/webhooks/{subscriptionId}/deliveries/{deliveryId}/replay',
        operationId: 'replayWebhookDelivery',
        summary: 'Send a delivered or dead-lettered delivery again (same webhook-id and body, fresh attempts)',
        scope: 'admin:write',
        params: deliveryPath,
        responses: { 202: { description: 'Queued again', schema: 'WebhookDelivery' } },
        problems: [404, 409],
        async handle({ params, by }) {
          await webhooks.replay(by, params.subscriptionId, params.deliveryId);
          return { status: 202, body: deliveryJson(await webhooks.delivery(params.subscriptionId, params.deliveryId)) };
        },
      }),
    ],
  };
}
