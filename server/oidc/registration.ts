/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592), off unless
 * CLIENT_REGISTRATION_ENABLED. Registering needs an initial access token: one of the configured
 * CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS, presented as a Bearer token. oidc-provider looks it up as
 * an InitialAccessToken model (`initialAccessToken: true`), and that model's store compares it
 * with the configured values in constant time (adapters/oidc/initial-access-tokens.ts), so
 * several tokens can be valid at once while one is rotated. The registrant gets a registration
 * access token to read, update and delete its registration; it is replaced at every update.
 * What a registration may state is the policy in client-metadata.ts.
 */
import type { Configuration } from 'oidc-provider';

type Features = NonNullable<Configuration['features']>;

export interface RegistrationSettings {
  enabled: boolean;
}

export function registrationFeatures(settings: RegistrationSettings | undefined): Pick<Features, 'registration' | 'registrationManagement'> {
  if (!settings?.enabled) return { registration: { enabled: false }, registrationManagement: { enabled: false } };
  return {
    registration: { enabled: true, initialAccessToken: true, issueRegistrationAccessToken: true },
    // A new registration access token at each update: one that leaked is good until the next change only.
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
  };
}
