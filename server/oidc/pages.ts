/**
 * The provider's own pages (errors, logout) rendered with our templates. Error pages show the
 * OAuth error code and description for client errors, and a generic message for server errors,
 * never internals.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Renderer } from '../http/views.js';

export interface ProviderPages {
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
}

export function pagesWith(renderer: Renderer): ProviderPages {
  return {
    async renderError(ctx, out) {
      const serverError = ctx.status >= 500;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = renderer.render('errors/error', {
        title: 'Error',
        heading: serverError ? 'Something went wrong' : 'This request cannot be completed',
        message: serverError ? 'Please try again later.' : out.error_description ?? 'The application sent an invalid request.',
        code: out.error,
        requestId: ctx.state.requestId,
      });
    },
    async logoutSource(ctx, form) {
      ctx.type = 'html';
      ctx.body = renderer.render('oidc/logout', {
        title: 'Sign out',
        form,
        host: ctx.host,
        clientName: ctx.oidc.client?.clientName,
      });
    },
    async postLogoutSuccessSource(ctx) {
      ctx.type = 'html';
      ctx.body = renderer.render('oidc/logout-success', {
        title: 'Signed out',
        clientName: ctx.oidc.client?.clientName,
      });
    },
  };
}
