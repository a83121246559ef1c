/**
 * The console's session: the admin API access token kept in an HttpOnly cookie, sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from the first of the COOKIE_KEYS, so the
 * browser holds only ciphertext it can neither read nor alter, and no script of the page ever
 * sees the token (nothing in localStorage). Every key of the list opens it, so a rotated-out key
 * keeps working until the session expires. The expiry is sealed in too: a copied cookie stops
 * at the token's own expiry, whatever the browser is told.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Context } from 'koa';

const INFO = 'oidc-server console session v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedSpec {
  name: string;
  path: string;
}

function keyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'console', INFO, 32));
}

function keysOf(ctx: Context): readonly string[] {
  const keys = ctx.app.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('the console session needs the cookie keys (COOKIE_KEYS)');
  return keys;
}

const cookieOptions = (ctx: Context, spec: SealedSpec) => ({ signed: false, httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: spec.path, overwrite: true });

export function writeSealed(ctx: Context, spec: SealedSpec, value: unknown, expiresAt: number): void {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(keysOf(ctx)[0]!), iv);
  // The cookie's name is authenticated data: a value cannot be moved into another cookie.
  cipher.setAAD(Buffer.from(spec.name));
  const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, e: expiresAt }), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  ctx.cookies.set(spec.name, sealed, { ...cookieOptions(ctx, spec), expires: new Date(expiresAt) });
}

/** @returns the value, or undefined when absent, tampered with, sealed by an unknown key or expired. */
export function readSealed<T>(ctx: Context, spec: SealedSpec, parse: (value: unknown) => T | undefined): T | undefined {
  const raw = ctx.cookies.get(spec.name, { signed: false });
  if (!raw) return undefined;
  const bytes = Buffer.from(raw, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  for (const secret of keysOf(ctx)) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyFrom(secret), bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(spec.name));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      const envelope = JSON.parse(text) as { v?: unknown; e?: unknown };
      if (typeof envelope.e !== 'number' || envelope.e <= Date.now()) return undefined;
      return parse(envelope.v);
    } catch {
      // Another key, or not ours at all.
    }
  }
  return undefined;
}

export function clearSealed(ctx: Context, spec: SealedSpec): void {
  ctx.cookies.set(spec.name, null, cookieOptions(ctx, spec));
}
