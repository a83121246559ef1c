/**
 * Delivery status callbacks from providers: Twilio status callbacks (form POST signed with
 * X-Twilio-Signature, checked by the Twilio SDK) and SES events relayed by SNS (JSON signed by
 * SNS, checked against the signing certificate and the configured topic). Bodies are read with a
 * size cap and validated; an unknown message id is acknowledged (the provider would only retry).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { ProviderStatus } from '../../modules/notifications/index.js';

export interface CallbackDeps {
  /** Undefined when Twilio is not the SMS channel: the route answers 404. */
  twilio: ((signature: string, params: Record<string, string>) => Promise<boolean>) | undefined;
  ses: { verify(message: Record<string, unknown>): Promise<boolean>; confirm(message: Record<string, unknown>): Promise<void> } | undefined;
  record(status: ProviderStatus): Promise<boolean>;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
}

// Twilio's callbacks carry a few hundred bytes; SNS messages up to 256 KiB, SES events far less.
const MAX_BODY_BYTES = 64 * 1024;

/** Reads the body up to MAX_BODY_BYTES; beyond that the rest is drained unread (destroying the stream would take the socket with it). */
function readBody(ctx: Context): Promise<string> {
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > MAX_BODY_BYTES) {
    ctx.req.resume();
    return Promise.reject(new AppError('invalid_input', 'the body is too large'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        ctx.req.off('data', onData);
        ctx.req.resume();
        reject(new AppError('invalid_input', 'the body is too large'));
        return;
      }
      chunks.push(chunk);
    };
    ctx.req.on('data', onData);
    ctx.req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    ctx.req.once('error', () => reject(new AppError('invalid_input', 'the body could not be read')));
  });
}

const twilioStatus = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'receiving', 'received']),
  ErrorCode: z.string().regex(/^\d{1,6}$/).optional(),
});

const snsEnvelope = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(100),
  TopicArn: z.string().min(1).max(300),
  Message: z.string().max(MAX_BODY_BYTES),
  Timestamp: z.string().max(40),
  SignatureVersion: z.string().max(2),
  Signature: z.string().max(1024),
  SigningCertURL: z.string().max(500),
});

const sesEvent = z.object({
  eventType: z.string().max(40).optional(),
  notificationType: z.string().max(40).optional(),
  mail: z.object({ messageId: z.string().min(1).max(200) }),
  bounce: z.object({ bounceType: z.string().max(40), bounceSubType: z.string().max(40).optional() }).optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', 'the body is not JSON');
  }
}

export function notificationCallbackRoutes(deps: CallbackDeps): Router {
  const router = new Router({ prefix: '/notifications/v1/callbacks' });

  router.post('/twilio', async (ctx) => {
    if (!deps.twilio) throw new AppError('not_found', 'Twilio is not the SMS channel');
    if (!ctx.is('application/x-www-form-urlencoded')) throw new AppError('invalid_input', 'expected a form-encoded body');
    const params = Object.fromEntries(new URLSearchParams(await readBody(ctx)));
    const signature = ctx.get('x-twilio-signature');
    // The SDK signs every posted parameter, so verification comes before any interpretation.
    if (!signature || !(await deps.twilio(signature, params))) throw new AppError('forbidden', 'the request signature is not valid');
    const parsed = twilioStatus.safeParse(params);
    if (!parsed.success) throw new AppError('invalid_input', 'not a message status callback');
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    const known = await deps.record({ provider: 'twilio', providerMessageId: MessageSid, status: MessageStatus, error: ErrorCode ? `twilio error ${ErrorCode}` : undefined });
    if (!known) deps.log.info({ callback: { provider: 'twilio', status: MessageStatus } }, 'status callback for an unknown message');
    ctx.status = 204;
  });

  router.post('/ses', async (ctx) => {
    if (!deps.ses) throw new AppError('not_found', 'SES events are not configured');
    const raw = parseJson(await readBody(ctx));
    const envelope = snsEnvelope.safeParse(raw);
    if (!envelope.success) throw new AppError('invalid_input', 'not an SNS message');
    // The signature covers fields the schema does not list (Subject, SubscribeURL, Token): verify the message as sent.
    const message = raw as Record<string, unknown>;
    if (!(await deps.ses.verify(message))) throw new AppError('forbidden', 'the message signature is not valid');
    if (envelope.data.Type === 'SubscriptionConfirmation') {
      await deps.ses.confirm(message).catch((error: Error) => {
        deps.log.warn({ callback: { provider: 'ses', error: error.message } }, 'SNS subscription confirmation failed');
        throw new AppError('unavailable', 'the subscription could not be confirmed; SNS will retry');
      });
      deps.log.info({ callback: { provider: 'ses', topic: envelope.data.TopicArn } }, 'SNS subscription confirmed');
    } else if (envelope.data.Type === 'Notification') {
      const event = sesEvent.safeParse(parseJson(envelope.data.Message));
      if (!event.success) throw new AppError('invalid_input', 'not an SES event');
      const kind = (event.data.eventType ?? event.data.notificationType ?? 'unknown').toLowerCase();
      const bounce = event.data.bounce ? `${event.data.bounce.bounceType}${event.data.bounce.bounceSubType ? `/${event.data.bounce.bounceSubType}` : ''}` : undefined;
      const known = await deps.record({ provider: 'ses', providerMessageId: event.data.mail.messageId, status: kind, error: bounce });
      if (!known) deps.log.info({ callback: { provider: 'ses', status: kind } }, 'SES event for an unknown message');
    }
    ctx.status = 204;
  });

  return router;
}
