/**
 * All provider events are subscribed here, in one function: each becomes a typed audit event
 * (with client, account, request id, IP and user agent), token issuance is counted by grant
 * type, and errors are logged. Only identifiers and OAuth error codes are recorded, never
 * tokens, codes or secrets.
 */
import { Provider, type KoaContextWithOIDC } from 'oidc-provider';
import { describeError, type Logger } from '../shared/logger.js';
import type { AuditEvent, AuditEventType, AuditTrail } from '../modules/compliance/index.js';
import type { Metrics } from '../shared/metrics.js';

export interface ProviderEventDeps {
  logger: Logger;
  audit: AuditTrail;
  metrics: Metrics;
}

type OAuthError = Error & { error?: string; error_description?: string };

/** Error events with a type of their own; every other `*.error` is `oidc.protocol.error`. */
const ERROR_TYPES: Record<string, AuditEventType> = {
  'authorization.error': 'oidc.authorization.error',
  'grant.error': 'oidc.grant.error',
  'introspection.error': 'oidc.introspection.error',
  'userinfo.error': 'oidc.userinfo.error',
  'end_session.error': 'oidc.end_session.error',
  'revocation.error': 'oidc.revocation.error',
};

const ERROR_EVENTS = [
  'authorization.error', 'backchannel.error', 'jwks.error', 'check_session.error', 'discovery.error',
  'end_session.error', 'grant.error', 'introspection.error', 'pushed_authorization_request.error',
  'registration_create.error', 'registration_delete.error', 'registration_read.error',
  'registration_update.error', 'revocation.error', 'userinfo.error', 'code_verification.error',
  'device_authorization.error',
] as const;

/** Tokens whose `destroyed` event, inside the revocation endpoint, means a client revoked them. */
const REVOCABLE = ['access_token', 'refresh_token', 'client_credentials'] as const;

/** Logs at `level`, building nothing when the level is off (these run per token). */
function emit(logger: Logger, level: 'error' | 'info' | 'debug', ctx: KoaContextWithOIDC | undefined, fields: () => Record<string, unknown>, msg: string) {
  if (!logger.isLevelEnabled(level)) return;
  logger[level]({ requestId: ctx?.state?.requestId, ...fields() }, msg);
}

function oidcFields(ctx: KoaContextWithOIDC | undefined): Record<string, unknown> {
  const oidc = ctx?.oidc;
  return { clientId: oidc?.client?.clientId, route: oidc?.route };
}

/** The end-user an event concerns, from whatever the provider loaded for this request. */
function accountOf(ctx: KoaContextWithOIDC | undefined): string | undefined {
  const entities = (ctx?.oidc?.entities ?? {}) as Record<string, { accountId?: string } | undefined>;
  return (
    entities.Account?.accountId ??
    entities.AuthorizationCode?.accountId ??
    entities.RefreshToken?.accountId ??
    entities.AccessToken?.accountId ??
    entities.Grant?.accountId ??
    entities.Session?.accountId
  );
}

/** The audit event for a provider event: who (user, else client), which client, and the request's facts. */
function auditEvent(ctx: KoaContextWithOIDC | undefined, type: AuditEventType, outcome: AuditEvent['outcome'], extra: Partial<AuditEvent> = {}): AuditEvent {
  const clientId = ctx?.oidc?.client?.clientId;
  const accountId = accountOf(ctx);
  const userAgent = ctx?.get('user-agent');
  return {
    type,
    outcome,
    actor: accountId ? { type: 'user', id: accountId } : clientId ? { type: 'client', id: clientId } : { type: 'anonymous' },
    ...(accountId ? { subject: { type: 'user', id: accountId } } : {}),
    ...(clientId ? { clientId } : {}),
    ...(ctx ? { ip: ctx.ip } : {}),
    ...(userAgent ? { userAgent } : {}),
    ...(ctx?.state?.requestId ? { requestId: ctx.state.requestId as string } : {}),
    ...extra,
  };
}

function errorDetails(event: string, error: OAuthError): Record<string, string> {
  return { event, error: error.error ?? error.name, ...(error.error_description ? { description: error.error_description } : {}) };
}

export function subscribeProviderEvents(provider: Provider, deps: ProviderEventDeps): void {
  const { logger, audit, metrics } = deps;
  const on = provider.on.bind(provider) as (event: string, listener: (...args: never[]) => void) => void;

  on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    emit(logger, 'error', ctx, () => ({ event: 'server_error', ...oidcFields(ctx), err: describeError(error) }), 'provider server error');
    // The error's kind only: messages of unexpected errors can quote request data.
    void audit.record(auditEvent(ctx, 'oidc.server_error', 'failure', { details: { error: error.name, route: String(ctx?.oidc?.route ?? '') } }));
  });
  for (const event of ERROR_EVENTS) {
    on(event, (ctx: KoaContextWithOIDC, error: OAuthError) => {
      emit(logger, 'info', ctx, () => ({ event, ...oidcFields(ctx), error: error.error ?? error.name, description: error.error_description }), 'protocol error');
      const denied = error.error === 'access_denied';
      void audit.record(auditEvent(ctx, ERROR_TYPES[event] ?? 'oidc.protocol.error', denied ? 'denied' : 'failure', { details: errorDetails(event, error) }));
    });
  }
  // RFC 8628: a device asked for a user code (the user's approval later ends as grant.success).
  on('device_authorization.success', (ctx: KoaContextWithOIDC) => {
    void audit.record(auditEvent(ctx, 'oidc.device.authorization', 'success', { details: { scope: String(ctx.oidc.params?.scope ?? '') } }));
  });
  on('authorization.success', (ctx: KoaContextWithOIDC) => {
    void audit.record(auditEvent(ctx, 'oidc.authorization.success', 'success', { details: { responseType: String(ctx.oidc.params?.response_type ?? '') } }));
  });
  // Dynamic client registration (RFC 7591/7592): who registered, changed or removed which client.
  const REGISTRATION_TYPES = {
    'registration_create.success': 'oidc.client.registered',
    'registration_update.success': 'oidc.client.registration_updated',
    'registration_delete.success': 'oidc.client.registration_deleted',
  } as const satisfies Record<string, AuditEventType>;
  for (const [event, type] of Object.entries(REGISTRATION_TYPES)) {
    on(event, (ctx: KoaContextWithOIDC, client: { clientId: string }) => {
      emit(logger, 'info', ctx, () => ({ event, route: ctx?.oidc?.route, clientId: client.clientId }), 'client registration changed');
      void audit.record(auditEvent(ctx, type, 'success', { subject: { type: 'client', id: client.clientId }, clientId: client.clientId }));
    });
  }
  on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = String(ctx.oidc.params?.grant_type ?? '');
    metrics.tokenIssued(grantType);
    emit(logger, 'debug', ctx, () => ({ event: 'grant.success', ...oidcFields(ctx), grantType }), 'token issued');
    void audit.record(auditEvent(ctx, grantType === 'refresh_token' ? 'oidc.token.refreshed' : 'oidc.grant.success', 'success', { details: { grantType } }));
  });
  on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    emit(logger, 'info', ctx, () => ({ event: 'grant.revoked', ...oidcFields(ctx), grantId }), 'grant revoked');
    void audit.record(auditEvent(ctx, 'oidc.grant.revoked', 'success', { subject: { type: 'grant', id: grantId }, details: { route: String(ctx?.oidc?.route ?? '') } }));
  });
  // Back-channel logout at RP-initiated logout: the notice was queued (backchannel-logout.ts); the
  // outbox worker audits its delivery.
  on('backchannel.success', (ctx: KoaContextWithOIDC, client: { clientId: string }, accountId: string) => {
    void audit.record(auditEvent(ctx, 'oidc.backchannel_logout.queued', 'success', { subject: { type: 'user', id: accountId }, clientId: client.clientId }));
  });
  on('end_session.success', (ctx: KoaContextWithOIDC) => {
    void audit.record(auditEvent(ctx, 'oidc.end_session.success', 'success'));
  });
  for (const kind of REVOCABLE) {
    // Model events carry no context; the provider exposes the current request's (AsyncLocalStorage).
    on(`${kind}.destroyed`, () => {
      const ctx = Provider.ctx as KoaContextWithOIDC | undefined;
      if (ctx?.oidc?.route !== 'revocation') return;
      void audit.record(auditEvent(ctx, 'oidc.token.revoked', 'success', { details: { kind } }));
    });
  }
}
