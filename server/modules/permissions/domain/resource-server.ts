/**
 * An API (resource server) that clients request tokens for with RFC 8707 `resource`. Its
 * identifier is the token audience; its scopes are the permissions a token can carry.
 * Tokens for APIs are JWTs (RFC 9068) so APIs verify them offline.
 */
import { z } from 'zod';

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
// Scope names the OpenID layer reserves; an API scope with one of these names would be ambiguous.
const OIDC_SCOPES = new Set(['openid', 'offline_access', 'profile', 'email', 'phone', 'address']);

export const resourceServerSchema = z
  .object({
    identifier: z.string().refine((v) => {
      try {
        const url = new URL(v);
        return !url.hash;
      } catch {
        return false;
      }
    }, 'must be an absolute URI without fragment (RFC 8707 §2)'),
    name: z.string().min(1).max(200),
    scopes: z
      .array(
        z.object({
          value: z.string().regex(scopeToken, 'must be a scope token').refine((v) => !OIDC_SCOPES.has(v), 'is an OpenID Connect scope'),
          description: z.string().max(500).default(''),
        }).strict(),
      )
      .default([]),
    access_token_ttl: z.number().int().positive().max(86_400).optional(),
  })
  .strict();

export type ResourceServerDefinition = z.output<typeof resourceServerSchema>;

export interface ResourceServer {
  identifier: string;
  name: string;
  scopes: Array<{ value: string; description: string }>;
  accessTokenTtl: number | undefined;
  /** JWT (RFC 9068, verified offline by the API) unless set to opaque (verified by introspection). */
  accessTokenFormat?: AccessTokenFormat;
}

export const ACCESS_TOKEN_FORMATS = ['jwt', 'opaque'] as const;
export type AccessTokenFormat = (typeof ACCESS_TOKEN_FORMATS)[number];
