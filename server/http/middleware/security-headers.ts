/**
 * Security headers on every response. The Content-Security-Policy is set before the provider
 * runs because oidc-provider appends the hash of its own inline form_post script to it. No
 * inline script or style is allowed on our pages. Responses are not cacheable unless a route
 * opts in (tokens, codes and personal data must never sit in a cache).
 */
import type { Middleware } from 'koa';

export const BASE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Our form pages add a form-action: Chrome applies it to the redirects a form POST starts. */
export function cspWithFormTargets(targets: Iterable<string>): string {
  return `${BASE_CSP}; form-action 'self' ${[...targets].join(' ')}`.trim();
}

export function securityHeaders(options: { hsts: boolean }): Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', BASE_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    // RFC 6797 §7.2: never over plain HTTP. Behind a proxy ctx.secure comes from X-Forwarded-Proto
    // (TRUST_PROXY), so a request that reached the proxy over http gets no header either.
    if (options.hsts && ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
