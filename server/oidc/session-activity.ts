/**
 * Tells the sessions list (modules/self-service session-activity.ts) when a browser session is
 * signed in to, used again, or logged out, from the routes that already load the session: the
 * resume of an interaction (a sign-in completed), the authorization endpoint (the session reused)
 * and the logout confirmation. The token endpoint never loads a session and is not watched: no
 * statement is added to its path. Runs after the route, when oidc-provider has saved the session
 * (so its uid and expiry are final); a failure is logged and never changes the response.
 */
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import { describeError, type Logger } from '../shared/logger.js';
import type { SessionActivity, SessionUse } from '../modules/self-service/index.js';

interface LoadedSession {
  uid?: unknown;
  accountId?: unknown;
  exp?: unknown;
  destroyed?: boolean;
}

/** Used when the session does not say when it expires (it always does once saved): the provider's default session TTL. */
const FALLBACK_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export function reportSessionActivity(provider: Provider, listener: SessionActivity, logger: Logger): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as (KoaContextWithOIDC['oidc'] & { session?: LoadedSession }) | undefined;
    const route = oidc?.route;
    if (route !== 'resume' && route !== 'authorization' && route !== 'end_session_confirm') return;
    const session = oidc?.session;
    if (!session || typeof session.uid !== 'string') return;
    try {
      if (route === 'end_session_confirm') {
        if (session.destroyed) await listener.ended(session.uid);
        return;
      }
      if (typeof session.accountId !== 'string' || session.destroyed) return;
      const use: SessionUse = {
        sessionUid: session.uid,
        accountId: session.accountId,
        userAgent: ctx.get('user-agent') || undefined,
        ip: ctx.ip,
        expiresAt: typeof session.exp === 'number' ? new Date(session.exp * 1000) : new Date(Date.now() + FALLBACK_TTL_MS),
      };
      // A resume that carried a login result is a completed sign-in; any other use only refreshes "last seen".
      if (route === 'resume' && (oidc as { result?: { login?: unknown } }).result?.login) await listener.signedIn(use);
      else await listener.seen(use);
    } catch (error) {
      logger.warn({ err: describeError(error), route }, 'session activity not recorded');
    }
  });
}
