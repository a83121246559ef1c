/**
 * A local upstream OpenID Provider that plays Google on loopback: a second oidc-provider instance
 * with its own discovery, signing keys and sign-in step. Its sign-in page is automatic: it signs in
 * (or denies) as the test says next, so a test controls exactly which `sub`, `email`,
 * `email_verified` and `amr` the upstream asserts. Our provider talks to it over real HTTP through
 * openid-client, the same code path as for https://accounts.google.com.
 */
import { createServer, type Server } from 'node:http';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';
import { freePort } from './provider.js';

export interface UpstreamAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** The upstream's amr for this sign-in (RFC 8176). */
  amr?: string[];
}

export interface UpstreamIssuer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The next sign-in at the upstream: this account, or a denial (access_denied). */
  next: UpstreamAccount | 'deny';
  /** Registers our provider's redirect URI (known once it started) and starts answering. */
  register(redirectUri: string): Promise<void>;
  /** Our provider's environment for "Continue with Google" played by this issuer. */
  googleEnv(): Record<string, string>;
  /** UPSTREAM_OIDC_PROVIDERS entry for our provider. */
  providerJson(id?: string, name?: string): string;
  stop(): Promise<void>;
}

export async function startUpstreamIssuer(): Promise<UpstreamIssuer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, UpstreamAccount>();
  let provider: Provider | undefined;
  let callback: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;

  const upstream: UpstreamIssuer = {
    issuer,
    clientId: 'our-provider',
    clientSecret: 'upstream-client-secret-that-is-long-enough-0123456789',
    next: 'deny',
    async register(redirectUri) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'upstream-1' };
      provider = new Provider(issuer, {
        clients: [{ client_id: upstream.clientId, client_secret: upstream.clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
        jwks: { keys: [jwk as never] },
        cookies: { keys: ['upstream-cookie-key-0123456789abcdef'] },
        pkce: { required: () => true },
        // Like Google: the email claims are in the ID token itself.
        conformIdTokenClaims: false,
        claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx, sub) => {
          const account = accounts.get(sub);
          if (!account) return undefined;
          // amr as the test chose it for this sign-in (the login result's amr is not echoed in this setup).
          return { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.email_verified, name: account.name, ...(account.amr ? { amr: account.amr } : {}) }) };
        },
      });
      const providerCallback = provider.callback();
      callback = (req, res) => {
        const match = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
        if (!match) return void providerCallback(req, res);
        void signInAutomatically(req, res);
      };
    },
    googleEnv() {
      return { GOOGLE_CLIENT_ID: upstream.clientId, GOOGLE_CLIENT_SECRET: upstream.clientSecret, GOOGLE_ISSUER: issuer, FEDERATION_ALLOW_HTTP_ISSUERS: 'true' };
    },
    providerJson(id = 'upstream', name = 'Test Upstream') {
      return JSON.stringify([{ id, name, issuer, client_id: upstream.clientId, client_secret: upstream.clientSecret }]);
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  // The upstream's "sign-in page": signs in as `next` and consents, or denies.
  async function signInAutomatically(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
    const p = provider!;
    try {
      const details = await p.interactionDetails(req, res);
      const next = upstream.next;
      if (next === 'deny') {
        await p.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user denied the request.' }, { mergeWithLastSubmission: false });
        return;
      }
      accounts.set(next.sub, next);
      const grant = new p.Grant({ accountId: next.sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await p.interactionFinished(req, res, { login: { accountId: next.sub, ...(next.amr ? { amr: next.amr } : {}) }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 500;
      res.end(error instanceof Error ? error.message : 'error');
    }
  }

  const server: Server = createServer((req, res) => {
    if (!callback) {
      res.statusCode = 503;
      res.end('not configured');
      return;
    }
    callback(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return upstream;
}
