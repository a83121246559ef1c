/**
 * All provider events are subscribed here, in one function. Today they feed the structured log;
 * the audit trail and webhooks attach to the same place. Only identifiers and OAuth error codes
 * are recorded, never tokens or secrets.
 */
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { describeError, type Logger } from '../http/logger.js';

const ERROR_EVENTS = [
  'authorization.error', 'backchannel.error', 'jwks.error', 'check_session.error', 'discovery.error',
  'end_session.error', 'grant.error', 'introspection.error', 'pushed_authorization_request.error',
  'registration_create.error', 'registration_delete.error', 'registration_read.error',
  'registration_update.error', 'revocation.error', 'userinfo.error', 'code_verification.error',
  'device_authorization.error',
] as const;

/** Logs at `level` with the request id, building nothing when the level is off (these run per token). */
function emit(logger: Logger, level: 'error' | 'info' | 'debug', ctx: KoaContextWithOIDC | undefined, fields: () => Record<string, unknown>, msg: string) {
  if (!logger.isLevelEnabled(level)) return;
  logger[level]({ requestId: ctx?.state?.requestId, ...fields() }, msg);
}

function oidcFields(ctx: KoaContextWithOIDC | undefined): Record<string, unknown> {
  const oidc = ctx?.oidc;
  return { clientId: oidc?.client?.clientId, route: oidc?.route };
}

export function subscribeProviderEvents(provider: Provider, logger: Logger): void {
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    emit(logger, 'error', ctx, () => ({ event: 'server_error', ...oidcFields(ctx), err: describeError(error) }), 'provider server error');
  });
  for (const event of ERROR_EVENTS) {
    // The typings list these events one overload at a time; the loop needs the common signature.
    (provider.on as (e: string, l: (ctx: KoaContextWithOIDC, error: Error & { error?: string; error_description?: string }) => void) => void)(event, (ctx, error) => {
      emit(logger, 'info', ctx, () => ({ event, ...oidcFields(ctx), error: error.error ?? error.name, description: error.error_description }), 'protocol error');
    });
  }
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    emit(logger, 'debug', ctx, () => ({ event: 'grant.success', ...oidcFields(ctx), grantType: ctx.oidc.params?.grant_type }), 'token issued');
  });
  // Dynamic client registration (RFC 7591/7592): who registered, changed or removed which client.
  for (const event of ['registration_create.success', 'registration_update.success', 'registration_delete.success'] as const) {
    (provider.on as (e: string, l: (ctx: KoaContextWithOIDC, client: { clientId: string }) => void) => void)(event, (ctx, client) => {
      emit(logger, 'info', ctx, () => ({ event, route: ctx?.oidc?.route, clientId: client.clientId }), 'client registration changed');
    });
  }
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    emit(logger, 'info', ctx, () => ({ event: 'grant.revoked', ...oidcFields(ctx), grantId }), 'grant revoked');
  });
}
