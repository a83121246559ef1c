/** The federation module's public face: sign-in with upstream OpenID Providers, linked identities. */
export type { FederatedIdentity, UpstreamIdentity } from './domain/identity.js';
export { decideFirstSignIn, mayUnlink, upstreamSatisfiesMfa, usernameCandidate, type FederationPolicy, type FirstSignInDecision, type RefusalReason, type AccountWithEmail } from './domain/link-decision.js';
export { createFederation, hashState, type Federation, type FederationDeps, type CallbackOutcome, type UpstreamProvider } from './use-cases/federation.js';
export { createLinkedIdentities, type LinkedIdentities, type LinkedIdentityDeps, type UnlinkResult } from './use-cases/linked-identities.js';
export { UpstreamError, type FederatedIdentityStore, type FederationRequest, type FederationRequestStore, type RequestBinding, type UpstreamAuthorization, type UpstreamClient, type UpstreamFailure } from './ports.js';
