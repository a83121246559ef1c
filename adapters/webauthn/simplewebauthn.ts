/**
 * WebAuthn Level 3 ceremonies with @simplewebauthn/server: options for the browser and
 * verification of its responses (challenge, origin among the RP's origins, RP ID hash, user
 * presence and verification, signature). Attestation is `none` (privacy, no vendor roots to
 * keep); the AAGUID an authenticator reports is passed on for the allow-list. The signature
 * counter is checked by the domain (server/modules/auth domain/passkey.ts), so it is handed to
 * the library as 0 here and the counter the authenticator reports comes back as `newCounter`.
 */
import { z } from 'zod';
import type { WebAuthnVerifier } from '../../server/modules/auth/index.js';

// ES256 and RS256 (Windows Hello) and EdDSA: what passkey providers use; the library's default set.
const TIMEOUT_MS = 5 * 60 * 1000;
const b64 = z.string().min(1).max(4096).regex(/^[A-Za-z0-9_-]+$/);
const transports = z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).max(8).optional();

const registrationResponse = z.object({
  id: b64,
  rawId: b64,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: b64, attestationObject: z.string().min(1).max(16384).regex(/^[A-Za-z0-9_-]+$/), transports }).passthrough(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

const authenticationResponse = z.object({
  id: b64,
  rawId: b64,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: b64, authenticatorData: b64, signature: b64, userHandle: z.string().max(1024).regex(/^[A-Za-z0-9_-]*$/).optional() }).passthrough(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

/**
 * The library is imported at the first ceremony, not at start: it and its ASN.1/CBOR stack cost
 * about half a second of CPU to load, which a server that never sees a passkey need not pay.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => (library ??= import('@simplewebauthn/server'));

const toBytes = (base64url: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(base64url, 'base64url'));
const toBase64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

export const simpleWebAuthn: WebAuthnVerifier = {
  async registrationOptions({ rp, challenge, user, exclude }) {
    const options = await (await webauthn()).generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.name,
      userDisplayName: user.displayName,
      // The user handle is our random user id (never an email or name, WebAuthn §14.6.1).
      userID: utf8.encode(user.id),
      challenge: toBytes(challenge),
      timeout: TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: exclude.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    return options as unknown as Record<string, unknown>;
  },

  async authenticationOptions({ rp, challenge, allow }) {
    const options = await (await webauthn()).generateAuthenticationOptions({
      rpID: rp.id,
      challenge: toBytes(challenge),
      timeout: TIMEOUT_MS,
      userVerification: 'required',
      allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
    });
    return options as unknown as Record<string, unknown>;
  },

  async verifyRegistration({ rp, challenge, response }) {
    const parsed = registrationResponse.safeParse(response);
    if (!parsed.success) return undefined;
    try {
      const result = await (await webauthn()).verifyRegistrationResponse({
        response: parsed.data as never,
        expectedChallenge: challenge,
        expectedOrigin: rp.origins,
        expectedRPID: rp.id,
        requireUserVerification: true,
      });
      if (!result.verified) return undefined;
      const info = result.registrationInfo;
      return {
        credentialId: info.credential.id,
        publicKey: toBase64Url(info.credential.publicKey),
        counter: info.credential.counter,
        transports: parsed.data.response.transports ?? [],
        aaguid: info.aaguid,
        synced: info.credentialDeviceType === 'multiDevice',
        backedUp: info.credentialBackedUp,
      };
    } catch {
      // A malformed or forged response: the library throws with a reason we do not show.
      return undefined;
    }
  },

  assertionIds(response) {
    const parsed = authenticationResponse.safeParse(response);
    if (!parsed.success || parsed.data.id !== parsed.data.rawId) return undefined;
    const handle = parsed.data.response.userHandle;
    let userHandle: string | undefined;
    if (handle) {
      try {
        userHandle = text.decode(toBytes(handle));
      } catch {
        return undefined;
      }
    }
    return { credentialId: parsed.data.id, userHandle };
  },

  async verifyAssertion({ rp, challenge, response, passkey }) {
    const parsed = authenticationResponse.safeParse(response);
    if (!parsed.success) return undefined;
    try {
      const result = await (await webauthn()).verifyAuthenticationResponse({
        response: parsed.data as never,
        expectedChallenge: challenge,
        expectedOrigin: rp.origins,
        expectedRPID: rp.id,
        credential: { id: passkey.credentialId, publicKey: toBytes(passkey.publicKey), counter: 0, transports: passkey.transports as never },
        requireUserVerification: true,
      });
      if (!result.verified) return undefined;
      const info = result.authenticationInfo;
      return { credentialId: info.credentialID, newCounter: info.newCounter, userVerified: info.userVerified, backedUp: info.credentialBackedUp };
    } catch {
      return undefined;
    }
  },
};
