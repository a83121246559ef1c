/** Back-channel logout (OpenID Connect Back-Channel Logout 1.0): queued per client, delivered by the outbox worker. */
export { registrationOf, type EndedSession, type LogoutNotice, type LogoutRegistration, LOGOUT_EVENT } from './domain/logout-notice.js';
export type { LogoutClients, LogoutPoster, LogoutTokenSigner } from './ports.js';
export { createLogoutAnnouncer, LOGOUT_KIND, type LogoutAnnouncer, type LogoutAnnouncerDeps } from './use-cases/announce-logout.js';
export { logoutHandler, type LogoutHandlerDeps } from './use-cases/deliver-logout.js';
