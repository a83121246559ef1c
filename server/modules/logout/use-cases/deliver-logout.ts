/**
 * The outbox handler for logout notices: the client's current registration (a changed URI
 * applies to pending retries; a removed one ends them), a logout token signed afresh for each
 * attempt (new iat/exp, same jti), POSTed as `logout_token` (§2.5) through the address policy.
 */
import { DeliveryError, type ClaimedMessage, type OutboxHandler } from '../../notifications/index.js';
import { logoutClaims, registrationOf, type LogoutNotice } from '../domain/logout-notice.js';
import type { LogoutClients, LogoutPoster, LogoutTokenSigner } from '../ports.js';

export interface LogoutHandlerDeps {
  clients: LogoutClients;
  signer: LogoutTokenSigner;
  poster: LogoutPoster;
}

export function logoutHandler(deps: LogoutHandlerDeps): OutboxHandler {
  return {
    async deliver(message: ClaimedMessage) {
      const notice = message.payload as LogoutNotice;
      const metadata = await deps.clients.metadataOf(notice.clientId);
      if (!metadata) throw new DeliveryError('the client no longer exists', false, 'backchannel');
      const registration = registrationOf(metadata);
      if (!registration.uri) throw new DeliveryError('the client no longer has a backchannel_logout_uri', false, 'backchannel');
      const token = await deps.signer.sign(logoutClaims(notice, registration), registration.alg);
      return deps.poster.post(registration.uri, { logout_token: token });
    },
  };
}
