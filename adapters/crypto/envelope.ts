/**
 * Encryption at rest with the key-encryption key (AES-256-GCM). Each ciphertext is bound to a
 * context (e.g. "client-secret:<client_id>") as additional authenticated data, so a ciphertext
 * copied onto another row fails to decrypt instead of silently working.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
// 96-bit IVs are GCM's native size; random IVs are safe far beyond the number of secrets we store.
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretSealer {
  seal(plaintext: string, context: string): string;
  /** @throws when the ciphertext was altered, moved to another context, or sealed with another key. */
  open(sealed: string, context: string): string;
}

export function createSecretSealer(keyBase64url: string): SecretSealer {
  const key = Buffer.from(keyBase64url, 'base64url');
  if (key.length !== 32) throw new Error('key-encryption key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, ivPart, bodyPart] = sealed.split('.');
      if (version !== VERSION || !ivPart || !bodyPart) throw new Error('unrecognised ciphertext format');
      const body = Buffer.from(bodyPart, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivPart, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
