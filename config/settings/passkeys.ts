/** Passkeys (WebAuthn): the relying party, the origins allowed to use it, which authenticators may register. */
import { z } from 'zod';
import { bool, list } from './kinds.js';
import { optional, setting } from './setting.js';

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, 'must be a host name (no scheme, port or path)');

const origin = z.string().refine((value) => {
  const parsed = URL.parse(value);
  return !!parsed && (parsed.protocol === 'https:' || parsed.hostname === 'localhost') && parsed.origin === value;
}, 'must be an origin such as https://example.com (https, no path)');

const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be an AAGUID (a UUID)');

export const passkeys = z.object({
  PASSKEYS_ENABLED: setting(bool, 'true', 'Feature flag for passkeys (WebAuthn): sign-in, second factor, sign-up and /account. false: no passkey is offered or accepted.'),
  PASSKEY_OFFER_ENABLED: setting(bool, 'true', 'After a password sign-in, offer to create a passkey ("Not now" is remembered per account). Only with PASSKEYS_ENABLED.'),
  WEBAUTHN_RP_ID: optional(
    hostname,
    "The WebAuthn relying party ID passkeys are bound to: the issuer's host or a registrable suffix of it. Defaults to the host name of ISSUER. Changing it later makes every existing passkey unusable.",
  ),
  WEBAUTHN_RELATED_ORIGINS: setting(
    list.pipe(z.array(origin).max(20, 'at most 20 origins')),
    '',
    'Comma-separated extra origins allowed to use passkeys of WEBAUTHN_RP_ID (WebAuthn related origins), besides the issuer. Empty: the issuer only.',
  ),
  WEBAUTHN_AAGUID_ALLOWLIST: setting(
    list.pipe(z.array(uuid).max(200, 'at most 200 AAGUIDs')),
    '',
    'Comma-separated AAGUIDs of the authenticator models that may register a passkey (attestation is "none", so this is what the authenticator reports). Empty: any.',
  ),
});
