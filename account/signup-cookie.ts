/** The sign-up in progress in this browser, in a signed cookie (account/registration.ts). */
import type { Context } from 'koa';
import { readCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';

/** The sign-up in progress in this browser. `u` is absent for an address that already had an account. */
export interface SignupCookie {
  f: string;
  u?: string;
  i?: string;
  /** The address as typed, shown on the "check your email" page. */
  e?: string;
  /** The username and phone number as typed, so "use a different address" keeps them (never the password). */
  n?: string;
  t?: string;
  /** 1: a passkey sign-up (no password): the passkey is created once the email is verified. */
  p?: 1;
}

export const SIGNUP_COOKIE: CookieSpec = { name: 'signup', path: '/', maxAgeMs: 60 * 60 * 1000 };

export const readSignup = (ctx: Context) =>
  readCookie(ctx, SIGNUP_COOKIE, (v) => {
    const o = v as SignupCookie;
    return typeof o?.f === 'string' ? o : undefined;
  });
