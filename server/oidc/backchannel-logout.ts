/**
 * OpenID Connect Back-Channel Logout 1.0 through our outbox. oidc-provider's
 * `features.backchannelLogout` gives us the metadata (backchannel_logout_uri,
 * backchannel_logout_session_required), discovery (backchannel_logout_supported,
 * backchannel_logout_session_supported), `sid` in ID tokens, and the moment of RP-initiated
 * logout, at which it calls each participating client's `backchannelLogout(sub, sid)`. Instead of
 * its one-shot fetch from inside the logout request, that call queues a notice in the outbox
 * (modules/logout), which delivers with retries, a delivery log, and the webhook address policy.
 * Sessions ended elsewhere (the account page, the admin API, a password reset) are announced to
 * the same queue by the storage adapters.
 *
 * Front-channel logout is not offered: oidc-provider v9 no longer implements it.
 */
import type { Provider } from 'oidc-provider';
import type { EndedSession } from '../modules/logout/index.js';

export interface LogoutQueue {
  sessionEnded(session: EndedSession): Promise<unknown>;
}

/** oidc-provider's `features.backchannelLogout`. */
export const BACKCHANNEL_LOGOUT = { enabled: true } as const;

/** Routes the provider's back-channel logout calls to `queue` (one Client class per Provider instance). */
export function backchannelLogoutThroughOutbox(provider: Provider, queue: LogoutQueue): void {
  const prototype = provider.Client.prototype as unknown as { backchannelLogout(this: { clientId: string }, sub: string, sid: string): Promise<void> };
  prototype.backchannelLogout = async function queued(sub, sid) {
    await queue.sessionEnded({ accountId: sub, clients: [{ clientId: this.clientId, sid }] });
  };
}
