/**
 * Consent remembered across browsers (`loadExistingGrant`): oidc-provider looks for the grant of
 * this browser session only, so a user signing in from a new browser was asked again for what
 * they had already allowed. Here the session's grant comes first, as in oidc-provider; without
 * one, the account's newest live grant for the client is used, so consent asks only for what it
 * does not cover (new scopes, claims or APIs). A grant revoked in /account, the admin API or on
 * reuse is deleted, so it is no longer found and consent is asked again.
 */
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

export interface ExistingGrantLookup {
  /** Id of the account's most recently issued live grant for the client, if any. */
  newestGrantId(accountId: string, clientId: string): Promise<string | undefined>;
}

export function loadExistingGrantWith(lookup: ExistingGrantLookup): NonNullable<Configuration['loadExistingGrant']> {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const clientId = oidc.client?.clientId;
    if (!clientId) return undefined;
    const known = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
    const grant = known ? await oidc.provider.Grant.find(known) : undefined;
    if (grant) return grant;
    const accountId = oidc.session?.accountId;
    if (!accountId) return undefined;
    const id = await lookup.newestGrantId(accountId, clientId);
    return id ? oidc.provider.Grant.find(id) : undefined;
  };
}
