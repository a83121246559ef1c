/**
 * Small JSON values in signed, HttpOnly, SameSite=Lax cookies (Koa's keygrip signature with the
 * COOKIE_KEYS). They bind a step of a flow to the browser that started it; they hold ids only,
 * never a secret sent to the user.
 */
import type { Context } from 'koa';

export interface CookieSpec {
  name: string;
  path: string;
  maxAgeMs: number;
}

export function writeCookie(ctx: Context, spec: CookieSpec, value: unknown): void {
  ctx.cookies.set(spec.name, Buffer.from(JSON.stringify(value)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: spec.path,
    maxAge: spec.maxAgeMs,
    overwrite: true,
  });
}

export function readCookie<T>(ctx: Context, spec: CookieSpec, parse: (value: unknown) => T | undefined): T | undefined {
  const raw = ctx.cookies.get(spec.name, { signed: true });
  if (!raw) return undefined;
  try {
    return parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

export function clearCookie(ctx: Context, spec: CookieSpec): void {
  ctx.cookies.set(spec.name, null, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: spec.path, overwrite: true });
}
