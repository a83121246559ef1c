/**
 * The only code that talks to oidc-provider about interactions: loads the pending interaction
 * (once per request), finishes it with a login or consent result, and records consent as a
 * Grant. Routes see plain data, never the provider's objects.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';
import { AppError } from '../server/shared/errors.js';

export interface InteractionClient {
  clientId: string;
  name: string;
  logoUri: string | undefined;
  clientUri: string | undefined;
  policyUri: string | undefined;
  tosUri: string | undefined;
  redirectUris: string[];
  firstParty: boolean;
  /** The client's `mfa_policy` metadata (clients/domain/client-definition.ts). */
  mfaPolicy: 'optional' | 'required';
}

export interface PendingInteraction {
  uid: string;
  /** The grant this client already has for the account, if any (consent adds to it). */
  grantId: string | undefined;
  prompt: 'login' | 'consent' | string;
  reasons: string[];
  params: Record<string, unknown>;
  accountId: string | undefined;
  client: InteractionClient;
  missing: { scopes: string[]; claims: string[]; resources: Record<string, string[]> };
}

export interface LoginOutcome {
  accountId: string;
  amr: string[];
  acr?: string;
  remember: boolean;
  /** Also resolves a pending `select_account` prompt (the user chose this account). */
  selectAccount?: boolean;
}

export interface InteractionGateway {
  /** @throws AppError interaction_expired when there is no live interaction for this browser and uid. */
  load(ctx: Context, uid: string): Promise<PendingInteraction>;
  /** @returns where to send the browser next. */
  finishLogin(ctx: Context, outcome: LoginOutcome): Promise<string>;
  /** Grants what the interaction is missing and @returns where to send the browser next. */
  grantConsent(ctx: Context, interaction: PendingInteraction): Promise<string>;
  /** Resolves `select_account` with the session's account (the user chose to continue as it). */
  selectSessionAccount(ctx: Context): Promise<string>;
  /** Ends the interaction with an OAuth error sent to the client's redirect URI. */
  abort(ctx: Context, error: 'access_denied' | 'login_required', description: string): Promise<string>;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function createInteractionGateway(providerOf: () => Provider): InteractionGateway {
  async function details(ctx: Context) {
    try {
      return await providerOf().interactionDetails(ctx.req, ctx.res);
    } catch {
      throw new AppError('interaction_expired', 'This sign-in request has expired or was already completed. Return to the application and start again.');
    }
  }

  return {
    async load(ctx, uid) {
      const provider = providerOf();
      const interaction = await details(ctx);
      if (interaction.uid !== uid) {
        throw new AppError('interaction_expired', 'This sign-in request is no longer the current one. Return to the application and start again.');
      }
      const client = await provider.Client.find(String(interaction.params.client_id));
      if (!client) throw new AppError('interaction_expired', 'The application of this sign-in request no longer exists.');
      const metadata = client.metadata() as Record<string, unknown>;
      const d = interaction.prompt.details as Record<string, unknown>;
      return {
        uid: interaction.uid,
        grantId: interaction.grantId,
        prompt: interaction.prompt.name,
        reasons: interaction.prompt.reasons,
        params: interaction.params,
        accountId: interaction.session?.accountId,
        client: {
          clientId: client.clientId,
          name: client.clientName ?? client.clientId,
          logoUri: client.logoUri,
          clientUri: client.clientUri,
          policyUri: client.policyUri,
          tosUri: client.tosUri,
          redirectUris: [...(client.redirectUris ?? [])],
          firstParty: metadata.first_party === true,
          mfaPolicy: metadata.mfa_policy === 'required' ? 'required' : 'optional',
        },
        missing: {
          scopes: strings(d.missingOIDCScope),
          claims: strings(d.missingOIDCClaims),
          resources: Object.fromEntries(
            Object.entries((d.missingResourceScopes ?? {}) as Record<string, unknown>).map(([k, v]) => [k, strings(v)]),
          ),
        },
      };
    },

    async finishLogin(ctx, outcome) {
      return providerOf().interactionResult(
        ctx.req,
        ctx.res,
        {
          login: { accountId: outcome.accountId, amr: outcome.amr, ...(outcome.acr ? { acr: outcome.acr } : {}), remember: outcome.remember },
          ...(outcome.selectAccount ? { select_account: {} } : {}),
          // A sign-in settles a pending prompt=create: the account now exists (or the user chose one).
          create: {},
        },
        { mergeWithLastSubmission: false },
      );
    },

    async grantConsent(ctx, pending) {
      const provider = providerOf();
      const { accountId } = pending;
      if (!accountId) throw new AppError('interaction_expired', 'Sign in again to continue.');
      const grant = pending.grantId
        ? await provider.Grant.find(pending.grantId)
        : new provider.Grant({ accountId, clientId: pending.client.clientId });
      if (!grant) throw new AppError('interaction_expired', 'This consent request has expired. Return to the application and start again.');
      if (pending.missing.scopes.length) grant.addOIDCScope(pending.missing.scopes.join(' '));
      if (pending.missing.claims.length) grant.addOIDCClaims(pending.missing.claims);
      for (const [resource, scopes] of Object.entries(pending.missing.resources)) grant.addResourceScope(resource, scopes.join(' '));
      const grantId = await grant.save();
      return provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    },

    async selectSessionAccount(ctx) {
      return providerOf().interactionResult(ctx.req, ctx.res, { select_account: {} }, { mergeWithLastSubmission: false });
    },

    async abort(ctx, error, description) {
      return providerOf().interactionResult(ctx.req, ctx.res, { error, error_description: description }, { mergeWithLastSubmission: false });
    },
  };
}

/** The provider's browser session, as the account pages need it. */
export interface BrowserSession {
  id: string;
  uid: string;
  accountId: string;
  /** Epoch seconds of the last sign-in. */
  loginTs: number | undefined;
  amr: string[];
  /** When the session expires (once saved, oidc-provider always knows). */
  expiresAt?: Date;
}

export interface RedeemedCode {
  accountId: string;
  sessionUid: string | undefined;
  authTime: number | undefined;
}

/**
 * The account pages' view of the provider: the browser session (the provider's own cookie, read
 * with oidc-provider's Session.get) and the in-process redemption of a code issued to our own
 * first-party account client.
 */
export interface AccountSessionGateway {
  current(ctx: Context): Promise<BrowserSession | undefined>;
  /**
   * Redeems an authorization code as a token endpoint would for a public client with PKCE: the
   * code must be live, unconsumed, issued to `clientId` for `redirectUri`, and its S256 challenge
   * must match `verifier`. Single use: consumed here; a second redemption revokes the code's
   * grant and ends its session, as a reused code does at the token endpoint. @returns undefined
   * when any check fails.
   */
  redeemCode(code: string, expected: { clientId: string; redirectUri: string; verifier: string }): Promise<RedeemedCode | undefined>;
  /** Display names of clients (client_name, else the id). */
  clientNames(clientIds: string[]): Promise<Record<string, string>>;
}

/**
 * A code redeemed twice was intercepted (RFC 6749 §4.1.2, RFC 9700 §4.5): as oidc-provider's
 * token endpoint does, everything issued under its grant is revoked and the grant destroyed; the
 * browser session the code came from, which is what /account signs in with, is ended too.
 */
async function revokeReplayed(provider: Provider, grantId: string | undefined, sessionUid: string | undefined): Promise<void> {
  if (grantId) {
    await Promise.all([
      provider.AccessToken.revokeByGrantId(grantId),
      provider.RefreshToken.revokeByGrantId(grantId),
      provider.AuthorizationCode.revokeByGrantId(grantId),
      provider.Grant.adapter.destroy(grantId),
    ]);
  }
  const session = sessionUid ? await provider.Session.findByUid(sessionUid) : undefined;
  if (session) await session.destroy();
}

export function createAccountSessionGateway(providerOf: () => Provider): AccountSessionGateway {
  return {
    async current(ctx) {
      const session = await providerOf().Session.get(ctx as never);
      if (!session.accountId) return undefined;
      const exp = (session as { exp?: unknown }).exp;
      return { id: session.jti, uid: session.uid, accountId: session.accountId, loginTs: session.loginTs, amr: session.amr ?? [], ...(typeof exp === 'number' ? { expiresAt: new Date(exp * 1000) } : {}) };
    },
    async redeemCode(code, expected) {
      if (!code || code.length > 200) return undefined;
      const provider = providerOf();
      const found = await provider.AuthorizationCode.find(code).catch(() => undefined);
      if (!found || found.clientId !== expected.clientId || found.redirectUri !== expected.redirectUri) return undefined;
      const challenge = createHash('sha256').update(expected.verifier).digest('base64url');
      if (found.codeChallengeMethod !== 'S256' || found.codeChallenge !== challenge || !found.accountId) return undefined;
      if (found.isExpired) return undefined;
      // Live but no longer valid: consumed (the type declarations do not name the flag itself).
      if (!found.isValid) {
        await revokeReplayed(provider, found.grantId, found.sessionUid);
        return undefined;
      }
      try {
        await found.consume();
      } catch {
        return undefined;
      }
      return { accountId: found.accountId, sessionUid: found.sessionUid, authTime: found.authTime };
    },
    async clientNames(clientIds) {
      const provider = providerOf();
      const entries = await Promise.all(
        [...new Set(clientIds)].map(async (id) => [id, (await provider.Client.find(id).catch(() => undefined))?.clientName ?? id] as const),
      );
      return Object.fromEntries(entries);
    },
  };
}
