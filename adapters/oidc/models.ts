/**
 * Facts about oidc-provider's models that the storage adapters depend on, kept in one place and
 * pinned to the oidc-provider version by tests/unit/oidc-models.test.ts: which store each model
 * lives in, which models are consumable, which are bound to a grant.
 */
import { errors } from 'oidc-provider';

/**
 * durable: Postgres (or the embedded database). ephemeral: Redis when configured, else the
 * database. clients: the clients table, whose secrets are encrypted at rest.
 */
export type StoreKind = 'durable' | 'ephemeral' | 'clients';

export const MODEL_STORE = {
  Session: 'durable',
  Grant: 'durable',
  RefreshToken: 'durable',
  InitialAccessToken: 'durable',
  RegistrationAccessToken: 'durable',
  Client: 'clients',
  AccessToken: 'ephemeral',
  AuthorizationCode: 'ephemeral',
  ClientCredentials: 'ephemeral',
  Interaction: 'ephemeral',
  DeviceCode: 'ephemeral',
  BackchannelAuthenticationRequest: 'ephemeral',
  PushedAuthorizationRequest: 'ephemeral',
  ReplayDetection: 'ephemeral',
  PreAuthorizedCode: 'ephemeral',
} as const satisfies Record<string, StoreKind>;

export type ModelName = keyof typeof MODEL_STORE;
export const MODEL_NAMES = Object.keys(MODEL_STORE) as ModelName[];

/** Models whose records revokeByGrantId must reach (oidc-provider's helpers/revoke.js). */
export const GRANT_BOUND_MODELS: ReadonlySet<string> = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/**
 * Models oidc-provider consumes, with the error a request gets when it loses a race to consume
 * the same record: exactly one concurrent consumer wins; the others are refused as if they had
 * arrived after it.
 */
export const CONSUMABLE_MODELS: ReadonlyMap<string, () => Error> = new Map<string, () => Error>([
  ['AuthorizationCode', () => new errors.InvalidGrant('authorization code already consumed')],
  ['RefreshToken', () => new errors.InvalidGrant('refresh token already used')],
  ['DeviceCode', () => new errors.InvalidGrant('device code already consumed')],
  ['BackchannelAuthenticationRequest', () => new errors.InvalidGrant('backchannel authentication request already consumed')],
  ['PreAuthorizedCode', () => new errors.InvalidGrant('pre-authorized code already consumed')],
  ['PushedAuthorizationRequest', () => new errors.InvalidRequestUri('request_uri is invalid, expired, or was already used')],
]);

export function alreadyConsumed(model: string): Error {
  const make = CONSUMABLE_MODELS.get(model);
  return make ? make() : new Error(`${model} is not consumable`);
}

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODEL_STORE, name);
}
