/**
 * Signing in to the console (a backend-for-frontend): GET /console/login starts an authorization
 * code flow with PKCE (S256) for the built-in `admin-console` client, asking for the admin API
 * (RFC 8707 `resource`) and its scopes; with CONSOLE_MFA_REQUIRED it also asks `acr_values` for
 * the MFA level. The callback checks `state`, redeems the code at the token endpoint over HTTP
 * like any client would, and keeps the access token server-side (sealed cookie, sealed-cookie.ts).
 * Refused: a token without `admin:read` (the admin role grants it) and, when MFA is required,
 * an ID token whose `acr` is not the MFA one. When the token expires the browser is sent through
 * the same flow again; the provider's session makes that silent.
 */
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import { createHash, randomBytes } from 'node:crypto';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';
import type { ConsoleDeps } from './deps.js';
import { consoleLocale, renderConsoleMessage } from './page.js';
import { clearSealed, readSealed, writeSealed, type SealedSpec } from './sealed-cookie.js';

const LOGIN_COOKIE: CookieSpec = { name: 'console_login', path: '/console', maxAgeMs: 15 * 60 * 1000 };
const SESSION_COOKIE: SealedSpec = { name: 'console_session', path: '/console' };
// A token about to expire would fail mid-page: a new sign-in starts this long before.
const EXPIRY_MARGIN_MS = 15_000;

export interface ConsoleSession {
  accessToken: string;
  /** The signed-in administrator (the token's subject). */
  sub: string;
  scopes: string[];
  expiresAt: number;
}

interface PendingLogin {
  state: string;
  verifier: string;
  returnTo: string;
}

const isPending = (v: unknown): PendingLogin | undefined => {
  const o = v as Partial<PendingLogin>;
  return typeof o?.state === 'string' && typeof o.verifier === 'string' && typeof o.returnTo === 'string' ? (o as PendingLogin) : undefined;
};

const isSession = (v: unknown): ConsoleSession | undefined => {
  const o = v as Partial<ConsoleSession>;
  return typeof o?.accessToken === 'string' && typeof o.sub === 'string' && Array.isArray(o.scopes) && typeof o.expiresAt === 'number' ? (o as ConsoleSession) : undefined;
};

/** Only our own console pages: the callback cannot redirect anywhere else. */
export function safeReturn(value: unknown): string {
  return typeof value === 'string' && value.length < 500 && /^\/console(\/[A-Za-z0-9/_.%-]*)?(\?[A-Za-z0-9=&_.%-]*)?$/.test(value) ? value : '/console';
}

export const callbackUrl = (issuer: string) => `${issuer}/console/callback`;

/** The session of this browser, or undefined (none, or its token has (nearly) expired). */
export function currentSession(ctx: Context): ConsoleSession | undefined {
  const session = readSealed(ctx, SESSION_COOKIE, isSession);
  return session && session.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? session : undefined;
}

/** Middleware for every console page but sign-in: no session → sign in, then come back here. */
export function requireSession() {
  return async (ctx: Context, next: Next) => {
    const session = currentSession(ctx);
    if (!session) {
      // A form posted after the token expired cannot be replayed after the sign-in: back to its page.
      const back = ctx.method === 'GET' ? ctx.originalUrl : ctx.path;
      ctx.redirect(`/console/login?${new URLSearchParams({ return: safeReturn(back) })}`);
      return;
    }
    ctx.state.console = session;
    await next();
  };
}

/** The payload of a JWT received straight from the token endpoint (OIDC Core §3.1.3.7: TLS vouches for it). */
function claimsOf(jwt: unknown): Record<string, unknown> {
  if (typeof jwt !== 'string') return {};
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function registerConsoleSession(router: Router, deps: ConsoleDeps): void {
  const { options } = deps;
  const http = deps.fetch ?? fetch;

  router.get('/console/login', (ctx) => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    writeCookie(ctx, LOGIN_COOKIE, { state, verifier, returnTo: safeReturn(ctx.query.return) } satisfies PendingLogin);
    const params = new URLSearchParams({
      client_id: options.clientId,
      response_type: 'code',
      redirect_uri: callbackUrl(options.issuer),
      scope: 'openid admin:read admin:write',
      resource: options.audience,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ui_locales: consoleLocale(ctx, deps.renderer),
    });
    if (options.mfaAcr) params.set('acr_values', options.mfaAcr);
    ctx.redirect(`/auth?${params}`);
  });

  router.get('/console/callback', async (ctx) => {
    const pending = readCookie(ctx, LOGIN_COOKIE, isPending);
    clearCookie(ctx, LOGIN_COOKIE);
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    const failed = (textId: string, status = 400) => {
      ctx.status = status;
      renderConsoleMessage(ctx, deps, { titleId: 'console.signInFailedTitle', textId, link: { href: '/console/login', labelId: 'console.signInAgain' } });
    };
    if (!pending || !state || state !== pending.state || !code) return failed('console.signInFailed');
    const response = await http(`${options.apiUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callbackUrl(options.issuer), client_id: options.clientId, code_verifier: pending.verifier }),
    });
    const tokens = (await response.json().catch(() => ({}))) as { access_token?: unknown; id_token?: unknown; scope?: unknown; expires_in?: unknown };
    if (!response.ok || typeof tokens.access_token !== 'string' || typeof tokens.expires_in !== 'number') return failed('console.signInFailed');
    const scopes = typeof tokens.scope === 'string' ? tokens.scope.split(' ') : [];
    if (!scopes.includes('admin:read')) return failed('console.notAnAdmin', 403);
    const idClaims = claimsOf(tokens.id_token);
    if (options.mfaAcr && idClaims.acr !== options.mfaAcr) return failed('console.mfaRequired', 403);
    const sub = typeof idClaims.sub === 'string' ? idClaims.sub : '';
    const expiresAt = Date.now() + tokens.expires_in * 1000;
    writeSealed(ctx, SESSION_COOKIE, { accessToken: tokens.access_token, sub, scopes, expiresAt } satisfies ConsoleSession, expiresAt);
    ctx.redirect(pending.returnTo);
  });

  // Ends the console session and the provider's (RP-initiated logout), which asks to confirm.
  router.post('/console/logout', (ctx) => {
    clearSealed(ctx, SESSION_COOKIE);
    ctx.status = 303;
    ctx.redirect(`/session/end?${new URLSearchParams({ client_id: options.clientId, post_logout_redirect_uri: `${options.issuer}/console` })}`);
  });
}
