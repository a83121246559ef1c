/**
 * Small JSON values in signed, HttpOnly, SameSite=Lax cookies, with their expiry inside the
 * signature: a copied cookie stops working at its expiry whatever the browser is told, and an
 * expired one reads as absent. The signature is HMAC-SHA256 over the cookie's name, value and
 * expiry with the first of the COOKIE_KEYS (Koa's `app.keys`); every key of the list is accepted,
 * so a rotated-out key keeps verifying what it signed until that expires. One cookie, no `.sig`
 * companion. Values bind a step of a flow to the browser that started it: ids only, never a
 * secret sent to the user.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

export interface CookieSpec {
  name: string;
  path: string;
  /** Lifetime of a value written without an explicit expiry. */
  maxAgeMs: number;
}

interface Envelope {
  v: unknown;
  /** Expiry, epoch milliseconds. */
  e: number;
}

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' && value !== null && 'v' in value && 'e' in value && typeof value.e === 'number';

function keysOf(ctx: Context): readonly string[] {
  const keys = ctx.app.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('signed cookies need the cookie keys (COOKIE_KEYS) as a list');
  return keys;
}

// The name is signed too: a value cannot be moved from one cookie to another.
const signatureOf = (key: string, name: string, payload: string) => createHmac('sha256', key).update(`${name}=${payload}`).digest();

function options(ctx: Context, spec: CookieSpec) {
  return { signed: false, httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: spec.path, overwrite: true };
}

/** Writes `value`, valid until `expiresAt` (epoch ms; default: now + spec.maxAgeMs). */
export function writeCookie(ctx: Context, spec: CookieSpec, value: unknown, expiresAt: number = Date.now() + spec.maxAgeMs): void {
  const payload = Buffer.from(JSON.stringify({ v: value, e: expiresAt } satisfies Envelope)).toString('base64url');
  const signature = signatureOf(keysOf(ctx)[0]!, spec.name, payload).toString('base64url');
  ctx.cookies.set(spec.name, `${payload}.${signature}`, { ...options(ctx, spec), expires: new Date(expiresAt) });
}

/** @returns the value, or undefined when the cookie is absent, forged, expired or not what `parse` accepts. */
export function readCookie<T>(ctx: Context, spec: CookieSpec, parse: (value: unknown) => T | undefined): T | undefined {
  const raw = ctx.cookies.get(spec.name, { signed: false });
  const dot = raw?.indexOf('.') ?? -1;
  if (!raw || dot < 1) return undefined;
  const payload = raw.slice(0, dot);
  const presented = Buffer.from(raw.slice(dot + 1), 'base64url');
  const valid = keysOf(ctx).some((key) => {
    const expected = signatureOf(key, spec.name, payload);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
  if (!valid) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isEnvelope(envelope) || envelope.e <= Date.now()) return undefined;
  return parse(envelope.v);
}

export function clearCookie(ctx: Context, spec: CookieSpec): void {
  ctx.cookies.set(spec.name, null, options(ctx, spec));
}

/**
 * A cookie written before this helper existed (Koa's keygrip signature, no expiry inside), for
 * the long-lived ones (device id: 400 days; trusted device: MFA_TRUSTED_DEVICE_TTL) whose holders
 * would otherwise be treated as new browsers after an upgrade. Each caller rewrites or drops it;
 * remove once the longest of those lifetimes has passed since the upgrade.
 */
export function readLegacyCookie(ctx: Context, name: string): string | undefined {
  return ctx.cookies.get(name, { signed: true }) || undefined;
}
