/** OpenID Connect scopes that have a plain-language description on the consent page (locales/<locale>/consent.json, `scopes.*`). */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'phone', 'address', 'offline_access', 'roles']);
