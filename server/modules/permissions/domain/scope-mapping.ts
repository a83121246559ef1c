/**
 * Which scopes of an API a token may carry: what the API defines, intersected with what the
 * client may ask for, intersected with what the user's roles grant (no user in client
 * credentials: the client's allowance alone). Pure; RFC 8707 / RFC 9068 give the shapes.
 */
export interface ScopeMappingInput {
  /** Scopes the API defines. */
  apiScopes: readonly string[];
  /** Scopes of this API the client may ask for; undefined: the client may not use this API. */
  clientAllowed: readonly string[] | undefined;
  /** Scopes of this API the user's roles grant; undefined when no user is involved. */
  userGranted: readonly string[] | undefined;
}

/** @returns the grantable scopes in the API's own order, or undefined when the client may not use the API at all. */
export function grantableScopes(input: ScopeMappingInput): string[] | undefined {
  if (input.clientAllowed === undefined) return undefined;
  const client = new Set(input.clientAllowed);
  const user = input.userGranted === undefined ? undefined : new Set(input.userGranted);
  return input.apiScopes.filter((scope) => client.has(scope) && (user === undefined || user.has(scope)));
}

/** A client's allowance per API, as registered in its `resource_scopes` metadata. */
export type ResourceScopes = Readonly<Record<string, readonly string[]>>;

export function clientAllowance(resourceScopes: ResourceScopes | undefined, api: string): readonly string[] | undefined {
  return resourceScopes && Object.hasOwn(resourceScopes, api) ? resourceScopes[api] : undefined;
}
