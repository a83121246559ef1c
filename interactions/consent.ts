/**
 * Consent step: shows who is asking for what (OIDC scopes in plain words, requested APIs and
 * their scopes) and records the decision as a Grant. First-party clients skip the page.
 * "Deny" sends access_denied to the client. Both decisions are audited.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AuditTrail } from '../server/modules/compliance/index.js';
import type { Renderer } from '../server/shared/rendering.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo, factsOf, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { KNOWN_SCOPES } from './scope-descriptions.js';

export interface ConsentDeps {
  gateway: InteractionGateway;
  renderer: Renderer;
  audit: AuditTrail;
  apiName(identifier: string): Promise<string>;
  username(accountId: string): Promise<string | undefined>;
}

const consentForm = z.object({ csrf: z.string(), decision: z.enum(['allow', 'deny']) });

/**
 * "Not you?": the same authorization request again with `prompt=login` (OIDC Core §3.1.2.1),
 * so the provider asks for a sign-in and the other account's answer goes to the same client.
 * Only the request's string parameters are repeated; a pushed request (request_uri) is single-use
 * and cannot be replayed, so then the link is left out.
 */
function signInAgainHref(interaction: PendingInteraction): string | undefined {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(interaction.params)) {
    if (typeof value === 'string' && name !== 'prompt') params.set(name, value);
  }
  if (params.has('request_uri') || params.has('request') || !params.has('client_id')) return undefined;
  params.set('prompt', 'login');
  return `/auth?${params}`;
}

export async function showConsent(ctx: Context, deps: ConsentDeps, interaction: PendingInteraction) {
  if (interaction.client.firstParty) {
    return continueTo(ctx, await deps.gateway.grantConsent(ctx, interaction));
  }
  const t = translatorFor(ctx, deps.renderer, interaction);
  const resources = await Promise.all(
    Object.entries(interaction.missing.resources).map(async ([identifier, scopes]) => ({ name: await deps.apiName(identifier), scopes })),
  );
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/consent', {
    titleId: 'consent.title',
    action: `/interaction/${interaction.uid}/consent`,
    csrf: csrfToken(ctx),
    scopes: interaction.missing.scopes.filter((s) => s !== 'openid').map((s) => (KNOWN_SCOPES.has(s) ? t(`consent.scopes.${s}`) : s)),
    resources,
    logoUri: interaction.client.logoUri,
    clientUri: interaction.client.clientUri,
    policyUri: interaction.client.policyUri,
    tosUri: interaction.client.tosUri,
    username: interaction.accountId ? await deps.username(interaction.accountId) : undefined,
    notYouHref: signInAgainHref(interaction),
  });
}

export function registerConsent(router: Router, deps: ConsentDeps): void {
  router.post('/interaction/:uid/consent', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    if (interaction.prompt !== 'consent') return continueTo(ctx, `/interaction/${interaction.uid}`);
    const form = consentForm.safeParse(body);
    if (!form.success) {
      ctx.status = 400;
      return showConsent(ctx, deps, interaction);
    }
    const allowed = form.data.decision === 'allow';
    await deps.audit.record({
      type: allowed ? 'auth.consent.granted' : 'auth.consent.denied',
      outcome: allowed ? 'success' : 'denied',
      actor: interaction.accountId ? { type: 'user', id: interaction.accountId } : { type: 'anonymous' },
      ...factsOf(ctx, interaction),
      details: { scopes: interaction.missing.scopes.join(' ') },
    });
    if (!allowed) {
      return continueTo(ctx, await deps.gateway.abort(ctx, 'access_denied', 'The user denied the request.'));
    }
    continueTo(ctx, await deps.gateway.grantConsent(ctx, interaction));
  });
}
