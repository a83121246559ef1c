/**
 * Upstream OpenID Providers ("Continue with Google", corporate SSO) read from the validated
 * environment. Google is one more upstream with a fixed issuer; every upstream takes the same code
 * path. Secrets never appear in the problems reported.
 */
import { z } from 'zod';
import { problem, type Problem } from './problems.js';
import type { Env } from './schema.js';

export interface UpstreamProviderSettings {
  /** Stable id used in URLs and stored with each linked identity. */
  id: string;
  /** Button label: "Continue with {name}". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Google's button follows Google's branding guidance. */
  brand: 'google' | 'generic';
}

export interface FederationSettings {
  providers: UpstreamProviderSettings[];
  autoRegister: boolean;
  linkByEmail: boolean;
  trustUpstreamMfa: boolean;
  allowHttpIssuers: boolean;
}

export const GOOGLE_ISSUER = 'https://accounts.google.com';

const upstream = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1-32 lowercase letters, digits, - or _')
    // Path segments of the federation routes (interactions/federation.ts).
    .refine((id) => id !== 'return' && id !== 'link', 'must not be "return" or "link"'),
  name: z.string().trim().min(1).max(64),
  issuer: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  client_id: z.string().min(1).max(512),
  client_secret: z.string().min(1).max(512),
});

/**
 * That production refuses FEDERATION_ALLOW_HTTP_ISSUERS is a rule of rules/production.ts; the
 * issuers' own scheme is checked here, where the providers are known.
 */
export function readFederationSettings(env: Env, production: boolean): { settings: FederationSettings; problems: Problem[] } {
  const problems: Problem[] = [];
  const providers: UpstreamProviderSettings[] = [];
  const googleId = env.GOOGLE_CLIENT_ID;
  const googleSecret = env.GOOGLE_CLIENT_SECRET;
  if (googleId && !googleSecret) problems.push(problem(['GOOGLE_CLIENT_SECRET', 'GOOGLE_CLIENT_ID'], 'GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set'));
  if (!googleId && googleSecret) problems.push(problem(['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'], 'GOOGLE_CLIENT_ID is required when GOOGLE_CLIENT_SECRET is set'));
  const googleIssuer = env.GOOGLE_ISSUER.replace(/\/$/, '');
  if (googleId && googleSecret) providers.push({ id: 'google', name: 'Google', issuer: googleIssuer, clientId: googleId, clientSecret: googleSecret, brand: 'google' });

  const json = env.UPSTREAM_OIDC_PROVIDERS;
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
      problems.push(problem('UPSTREAM_OIDC_PROVIDERS', 'UPSTREAM_OIDC_PROVIDERS must be a JSON array of {id, name, issuer, client_id, client_secret}'));
    }
    if (parsed !== undefined) {
      const result = z.array(upstream).max(20).safeParse(parsed);
      if (!result.success) {
        // Paths and messages only: the input holds client secrets.
        for (const issue of result.error.issues) problems.push(problem('UPSTREAM_OIDC_PROVIDERS', `UPSTREAM_OIDC_PROVIDERS[${issue.path.join('.')}] ${issue.message}`));
      } else {
        for (const p of result.data) {
          providers.push({ id: p.id, name: p.name, issuer: p.issuer.replace(/\/$/, ''), clientId: p.client_id, clientSecret: p.client_secret, brand: p.issuer === GOOGLE_ISSUER ? 'google' : 'generic' });
        }
      }
    }
  }
  const seen = new Set<string>();
  for (const p of providers) {
    if (seen.has(p.id)) problems.push(problem('UPSTREAM_OIDC_PROVIDERS', `UPSTREAM_OIDC_PROVIDERS: provider id ${JSON.stringify(p.id)} is used twice ("google" is taken by GOOGLE_CLIENT_ID)`));
    seen.add(p.id);
  }

  const allowHttp = env.FEDERATION_ALLOW_HTTP_ISSUERS;
  for (const [index, p] of providers.entries()) {
    if (new URL(p.issuer).protocol === 'https:') continue;
    const variable = index === 0 && googleId && googleSecret ? 'GOOGLE_ISSUER' : 'UPSTREAM_OIDC_PROVIDERS';
    if (production) problems.push(problem(variable, `${variable}: the issuer of ${JSON.stringify(p.id)} must be an https URL in production`));
    else if (!allowHttp) problems.push(problem([variable, 'FEDERATION_ALLOW_HTTP_ISSUERS'], `${variable}: the issuer of ${JSON.stringify(p.id)} is http; set FEDERATION_ALLOW_HTTP_ISSUERS=true to allow that outside production`));
  }
  return {
    settings: {
      providers,
      autoRegister: env.FEDERATION_AUTO_REGISTER,
      linkByEmail: env.FEDERATION_LINK_BY_EMAIL,
      trustUpstreamMfa: env.FEDERATION_TRUST_UPSTREAM_MFA,
      allowHttpIssuers: allowHttp,
    },
    problems,
  };
}
