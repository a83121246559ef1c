/**
 * The one catalogue of audit event types and the shape of an audit record. Every module that
 * records security-relevant activity names its event here, so search, export and webhooks see
 * one vocabulary. A record carries identifiers and outcomes only: never a token, secret,
 * password, code or hash.
 */

/** Grouped by area; add new types to the group they belong to, never reuse a name for a new meaning. */
export const AUDIT_EVENT_TYPES = [
  // oidc-provider (server/oidc/events.ts)
  'oidc.authorization.success',
  'oidc.authorization.error',
  'oidc.grant.success',
  'oidc.grant.error',
  'oidc.grant.revoked',
  'oidc.token.refreshed',
  'oidc.token.revoked',
  'oidc.introspection.error',
  'oidc.userinfo.error',
  'oidc.end_session.success',
  'oidc.server_error',
  'oidc.client.registered',
  'oidc.client.registration_updated',
  'oidc.client.registration_deleted',
  'oidc.end_session.error',
  'oidc.revocation.error',
  'oidc.protocol.error',
  // RFC 8628 device sign-in (server/oidc/device-flow.ts, http/middleware/device-code-guesses.ts)
  'oidc.device.authorization',
  'oidc.device.user_code_rejected',
  'oidc.device.user_code_throttled',
  // RFC 8693 token exchange (server/oidc/token-exchange.ts)
  'oidc.token.exchanged',
  'oidc.token_exchange.refused',
  // OpenID Connect Back-Channel Logout (server/modules/sessions)
  'oidc.backchannel_logout.queued',
  // sign-in and MFA (interactions/, server/modules/auth)
  'auth.login.success',
  'auth.login.failure',
  'auth.login.throttled',
  'auth.logout',
  'auth.mfa.challenge',
  'auth.mfa.success',
  'auth.mfa.failure',
  'auth.mfa.enrolled',
  'auth.mfa.removed',
  'auth.recovery_codes.generated',
  'auth.recovery_code.used',
  'auth.lockout',
  'auth.consent.granted',
  'auth.consent.denied',
  'auth.trusted_device.created',
  'auth.trusted_device.revoked',
  'auth.account_selected',
  // federation: sign-in with upstream OpenID Providers (server/modules/federation)
  'auth.federation.started',
  'auth.federation.failure',
  'auth.federation.refused',
  'auth.federation.linked',
  'auth.federation.unlinked',
  'auth.federation.registered',
  'auth.passkey.added',
  'auth.passkey.renamed',
  'auth.passkey.removed',
  'auth.passkey.refused',
  'auth.passkey.offer_declined',
  // account lifecycle and self-service (server/modules/users)
  'user.registered',
  'user.registration.replaced',
  'user.email.verification_sent',
  'user.email.verified',
  'user.email.changed',
  'user.phone.verified',
  'user.password.changed',
  'user.password.reset_requested',
  'user.password.reset',
  'user.new_device',
  'user.sessions.revoked',
  'user.grant.revoked',
  'user.phone.verification_sent',
  'user.verification.failed',
  'user.email.change_requested',
  'user.profile.updated',
  // administration (admin API and CLI)
  'admin.user.created',
  'admin.user.updated',
  'admin.user.deleted',
  'admin.user.disabled',
  'admin.user.enabled',
  'admin.user.password_reset_forced',
  'admin.user.mfa_reset',
  'admin.user.roles_changed',
  'admin.user.imported',
  'admin.role.created',
  'admin.role.updated',
  'admin.role.deleted',
  'admin.resource_server.created',
  'admin.resource_server.updated',
  'admin.resource_server.deleted',
  'admin.client.created',
  'admin.client.updated',
  'admin.client.deleted',
  'admin.client.secret_rotated',
  'admin.session.revoked',
  'admin.grant.revoked',
  'admin.webhook.created',
  'admin.webhook.updated',
  'admin.webhook.deleted',
  'admin.webhook.replayed',
  'admin.access.denied',
  'admin.audit.exported',
  // keys, notifications, compliance
  'keys.rotated',
  'notification.delivered',
  'notification.failed',
  'notification.dead_lettered',
  'audit.checkpoint.created',
  'audit.chain.verified',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Who acted: a signed-in user, an OAuth client (client credentials), the system itself (jobs, CLI), or nobody known. */
export interface AuditActor {
  type: 'user' | 'client' | 'system' | 'anonymous';
  id?: string;
}

export interface AuditSubject {
  type: 'user' | 'client' | 'role' | 'resource_server' | 'signing_key' | 'grant' | 'session' | 'webhook' | 'message' | 'audit';
  id: string;
}

/** Plain, non-secret details. Values are scalars so a record can be hashed and exported as-is. */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEvent {
  type: AuditEventType;
  outcome: AuditOutcome;
  actor: AuditActor;
  subject?: AuditSubject;
  clientId?: string;
  ip?: string;
  userAgent?: string;
  requestId?: string;
  details?: AuditDetails;
}

/** Request facts every HTTP-caused event carries; built once per request by the HTTP layer. */
export interface RequestFacts {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}
