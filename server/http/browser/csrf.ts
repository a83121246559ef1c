/**
 * CSRF protection for our forms (synchronizer token, OWASP's HMAC variant): a per-browser secret
 * in a signed, HttpOnly, SameSite=Lax session cookie; each form carries
 * `salt.HMAC-SHA256(secret, binding, salt)`. The salt is fresh for every token, so no two pages
 * carry the same string (nothing for BREACH-style length oracles to learn); the binding ties a
 * token to what it was issued for: the sign-in (interaction uid) of the page, else the app, so
 * a form of one sign-in cannot be replayed into another. Compared in constant time. SameSite
 * alone is not enough: it does not cover same-site attackers or older browsers.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { AppError } from '../../shared/errors.js';

// The same cookie (name and Koa signature) as before: secrets already issued stay valid.
const COOKIE = 'csrf_secret';
const SECRET_BYTES = 32;
const SALT_BYTES = 12;

/** What a token is bound to: the route's interaction, when there is one. */
function bindingOf(ctx: Context): string {
  const uid: unknown = ctx.params?.uid;
  return typeof uid === 'string' && uid ? `interaction:${uid}` : 'app';
}

const macOf = (secret: string, binding: string, salt: string) => createHmac('sha256', secret).update(`csrf\0${binding}\0${salt}`).digest();

/** A token for a form of this page; creates this browser's secret on first use. */
export function csrfToken(ctx: Context): string {
  let secret = ctx.cookies.get(COOKIE, { signed: true });
  if (!secret) {
    secret = randomBytes(SECRET_BYTES).toString('base64url');
    ctx.cookies.set(COOKIE, secret, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', overwrite: true });
  }
  const salt = randomBytes(SALT_BYTES).toString('base64url');
  return `${salt}.${macOf(secret, bindingOf(ctx), salt).toString('base64url')}`;
}

/** @throws AppError csrf_failed when the form's token was not issued to this browser for this binding. */
export function assertCsrf(ctx: Context, token: unknown): void {
  const secret = ctx.cookies.get(COOKIE, { signed: true });
  const [salt, mac, extra] = typeof token === 'string' ? token.split('.') : [];
  if (secret && salt && mac && extra === undefined) {
    const expected = macOf(secret, bindingOf(ctx), salt);
    const presented = Buffer.from(mac, 'base64url');
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) return;
  }
  throw new AppError('csrf_failed', 'This form has expired. Go back, reload the page and try again.');
}
