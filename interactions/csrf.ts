/**
 * CSRF protection for our forms (synchronizer token, `csrf` package): a per-browser secret in a
 * signed, HttpOnly, SameSite cookie; each form carries a token derived from it. SameSite alone
 * is not enough: it does not cover same-site attackers or older browsers.
 */
import Tokens from 'csrf';
import type { Context } from 'koa';
import { AppError } from '../server/shared/errors.js';

const tokens = new Tokens();
const COOKIE = 'csrf_secret';

export function csrfToken(ctx: Context): string {
  let secret = ctx.cookies.get(COOKIE, { signed: true });
  if (!secret) {
    secret = tokens.secretSync();
    ctx.cookies.set(COOKIE, secret, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', overwrite: true });
  }
  return tokens.create(secret);
}

/** @throws AppError csrf_failed when the form's token does not match this browser's secret. */
export function assertCsrf(ctx: Context, token: unknown): void {
  const secret = ctx.cookies.get(COOKIE, { signed: true });
  if (!secret || typeof token !== 'string' || !tokens.verify(secret, token)) {
    throw new AppError('csrf_failed', 'This form has expired. Go back, reload the page and try again.');
  }
}
