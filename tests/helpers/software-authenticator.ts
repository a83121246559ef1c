/**
 * A WebAuthn authenticator in software (P-256, attestation "none"), for tests that need responses
 * a browser would not make: another origin, an old counter, no user verification, a replay.
 * Builds the authenticator data, client data and signature as WebAuthn §6.1 and §6.5 lay out.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export interface CeremonyOptions {
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  /** Backup eligible and backed up: a synced passkey. */
  synced?: boolean;
  counter?: number;
  aaguid?: string;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly key: KeyObject;
  private readonly cose: Uint8Array;

  constructor(private readonly defaults: { origin: string; rpId: string }) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.key = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
    this.cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  }

  private authData(o: CeremonyOptions, attested: boolean): Buffer {
    const flags = 0x01 | (o.userVerified === false ? 0 : 0x04) | (o.synced ? 0x18 : 0) | (attested ? 0x40 : 0);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(o.counter ?? 0);
    const head = Buffer.concat([sha256(o.rpId ?? this.defaults.rpId), Buffer.from([flags]), counter]);
    if (!attested) return head;
    const aaguid = Buffer.from((o.aaguid ?? '00000000-0000-0000-0000-000000000000').replace(/-/g, ''), 'hex');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(this.credentialId.length);
    return Buffer.concat([head, aaguid, length, this.credentialId, this.cose]);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, o: CeremonyOptions): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: o.origin ?? this.defaults.origin, crossOrigin: false }));
  }

  /** The response to navigator.credentials.create() for `options` (as the server sent them). */
  register(options: Record<string, unknown>, o: CeremonyOptions = {}) {
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', this.authData(o, true)]]) as never);
    return {
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64u(this.clientData('webauthn.create', options.challenge as string, o)), attestationObject: b64u(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** The response to navigator.credentials.get(); `userHandle` is what the authenticator stored at registration. */
  assert(options: Record<string, unknown>, userHandle: string, o: CeremonyOptions = {}) {
    const authenticatorData = this.authData(o, false);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge as string, o);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.key);
    return {
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authenticatorData), signature: b64u(signature), userHandle: b64u(Buffer.from(userHandle)) },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
