/**
 * OpenID Connect Back-Channel Logout 1.0: when a user's session ends, every client that took part
 * in it and registered a `backchannel_logout_uri` is sent a logout token. A notice is what the
 * outbox holds for one client: who (`sub`), which session (`sid`), and the token's `jti`, the
 * same on every attempt so a receiver can tell a retry from a second logout.
 */

/** A session that ended: its user and, per client that signed in through it, the `sid` that client saw. */
export interface EndedSession {
  accountId: string;
  clients: ReadonlyArray<{ clientId: string; sid: string | undefined }>;
}

export interface LogoutNotice {
  clientId: string;
  sub: string;
  sid: string | undefined;
  jti: string;
}

/** What a client registered about back-channel logout. */
export interface LogoutRegistration {
  uri: string | undefined;
  /** backchannel_logout_session_required: the token must carry `sid` (§2.2). */
  sessionRequired: boolean;
  /** The client's id_token_signed_response_alg: logout tokens are signed like its ID tokens (§2.4). */
  alg: string;
}

export const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** The claims of a logout token (§2.4), without iss/iat/exp, which the signer sets per attempt. */
export function logoutClaims(notice: LogoutNotice, registration: LogoutRegistration): Record<string, unknown> {
  return {
    aud: notice.clientId,
    sub: notice.sub,
    jti: notice.jti,
    events: { [LOGOUT_EVENT]: {} },
    // Required when the client asked for it; otherwise sent too when known, as §2.4 allows
    // (sub and sid together name the session most precisely).
    ...(notice.sid ? { sid: notice.sid } : {}),
  };
}

/** A client to notify: registered a URI, and can be told which session when it needs the sid. */
export function wantsNotice(registration: LogoutRegistration | undefined, sid: string | undefined): registration is LogoutRegistration & { uri: string } {
  if (!registration?.uri) return false;
  return !registration.sessionRequired || sid !== undefined;
}

/** Reads our client metadata (RFC 7591 names) into a registration. */
export function registrationOf(metadata: Record<string, unknown>): LogoutRegistration {
  const uri = metadata.backchannel_logout_uri;
  const alg = metadata.id_token_signed_response_alg;
  return {
    uri: typeof uri === 'string' ? uri : undefined,
    sessionRequired: metadata.backchannel_logout_session_required === true,
    alg: typeof alg === 'string' ? alg : 'RS256',
  };
}
