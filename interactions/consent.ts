/**
 * Consent step: shows who is asking for what (OIDC scopes in plain words, requested APIs and
 * their scopes) and records the decision as a Grant. First-party clients skip the page.
 * "Deny" sends access_denied to the client.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Renderer } from '../server/http/views.js';
import { assertCsrf, csrfToken } from './csrf.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage } from './page.js';
import { describeScope } from './scope-descriptions.js';

export interface ConsentDeps {
  gateway: InteractionGateway;
  renderer: Renderer;
  apiName(identifier: string): Promise<string>;
  username(accountId: string): Promise<string | undefined>;
}

const consentForm = z.object({ csrf: z.string(), decision: z.enum(['allow', 'deny']) });

export async function showConsent(ctx: Context, deps: ConsentDeps, interaction: PendingInteraction) {
  if (interaction.client.firstParty) {
    return continueTo(ctx, await deps.gateway.grantConsent(ctx, interaction));
  }
  const resources = await Promise.all(
    Object.entries(interaction.missing.resources).map(async ([identifier, scopes]) => ({ name: await deps.apiName(identifier), scopes })),
  );
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/consent', {
    title: `Authorize ${interaction.client.name}`,
    action: `/interaction/${interaction.uid}/consent`,
    csrf: csrfToken(ctx),
    scopes: interaction.missing.scopes.filter((s) => s !== 'openid').map(describeScope),
    resources,
    logoUri: interaction.client.logoUri,
    clientUri: interaction.client.clientUri,
    policyUri: interaction.client.policyUri,
    tosUri: interaction.client.tosUri,
    username: interaction.accountId ? await deps.username(interaction.accountId) : undefined,
  });
}

export function registerConsent(router: Router, deps: ConsentDeps): void {
  router.post('/interaction/:uid/consent', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = (ctx.request as unknown as { body?: unknown }).body as Record<string, unknown> | undefined;
    assertCsrf(ctx, body?.csrf);
    if (interaction.prompt !== 'consent') return continueTo(ctx, `/interaction/${interaction.uid}`);
    const form = consentForm.safeParse(body);
    if (!form.success) {
      ctx.status = 400;
      return showConsent(ctx, deps, interaction);
    }
    if (form.data.decision === 'deny') {
      return continueTo(ctx, await deps.gateway.abort(ctx, 'access_denied', 'The user denied the request.'));
    }
    continueTo(ctx, await deps.gateway.grantConsent(ctx, interaction));
  });
}
