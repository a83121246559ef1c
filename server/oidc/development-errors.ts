/**
 * In development, `invalid_grant` says which: the provider's answer is deliberately vague
 * ("grant request is invalid") and its reason (expired, already used, not found, redirect_uri or
 * PKCE verifier mismatch) only reaches its event. The reason is kept on the request and added to
 * the answer's description, so a developer sees it where they look. Never outside development.
 */
import type Koa from 'koa';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';

const DETAIL = 'grantErrorDetail';

/** Records the reason of every refused grant on its request. */
export function explainGrantErrors(provider: Provider): void {
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: Error & { error?: string; error_detail?: string }) => {
    if (error.error === 'invalid_grant' && error.error_detail) ctx.state[DETAIL] = error.error_detail;
  });
}

/** Adds the recorded reason to an invalid_grant answer. */
export function grantErrorExplanations(): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    const detail: unknown = ctx.state[DETAIL];
    const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
    if (typeof detail !== 'string' || !body || typeof body !== 'object' || body.error !== 'invalid_grant') return;
    ctx.body = { ...body, error_description: `${String(body.error_description ?? 'grant request is invalid')}: ${detail} (this detail is shown in development only)` };
  };
}
