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

/**
 * Machine-to-machine endpoints answer JSON to API clients, never a document to render: they get
 * the OWASP REST set (no framing, no sniffing, no caching, a CSP that allows nothing) without
 * the document-only headers, which on the busiest endpoints would only cost bytes and time.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: { hsts: boolean; apiPaths: readonly string[] }): Middleware {
  const apiPaths = new Set(options.apiPaths);
  return async (ctx, next) => {
    const api = apiPaths.has(ctx.path);
    ctx.set('Content-Security-Policy', api ? API_CSP : BASE_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    if (!api) {
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    }
    // RFC 6797 §7.2: never over plain HTTP. Behind a proxy ctx.secure comes from X-Forwarded-Proto
    // (TRUST_PROXY), so a request that reached the proxy over http gets no header either.
    if (options.hsts && ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
