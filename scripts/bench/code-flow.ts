/**
 * The bench's authorization-code flow: /auth, the login and consent pages through a browserless
 * user agent, and the code exchange at /token, with PKCE. Shared by the bench (rows, mixed load)
 * and the profiler (`profile.js --flow`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { dpopProof, type DpopKey } from './dpop.js';
import { BENCH_USER, BENCH_WEB_CLIENT } from './fixture.js';
import { form } from './harness.js';
import { authorize, UserAgent } from './user-agent.js';

// Flow concurrency matches the libuv threadpool (4 threads), where argon2 runs.
export const FLOW_CONCURRENCY = 4;

export const webBasic = `Basic ${Buffer.from(`${BENCH_WEB_CLIENT.client_id}:${BENCH_WEB_CLIENT.client_secret}`).toString('base64')}`;

/** An authorization-code flow through the login and consent pages; @returns the token response. */
export async function codeFlow(url: string, options: { scope?: string; dpop?: DpopKey } = {}) {
  const scope = options.scope ?? 'openid';
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${url}/auth`);
  auth.search = new URLSearchParams({
    client_id: BENCH_WEB_CLIENT.client_id,
    response_type: 'code',
    scope,
    // offline_access is granted only with prompt=consent (OIDC Core §11).
    ...(scope.includes('offline_access') ? { prompt: 'consent' } : {}),
    redirect_uri: BENCH_WEB_CLIENT.redirect_uri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const { callback } = await authorize(new UserAgent(url), auth, { login: BENCH_USER.username, password: BENCH_USER.password });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`flow ended without code: ${callback}`);
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: webBasic, 'content-type': form, ...(options.dpop ? { dpop: await dpopProof(options.dpop, 'POST', `${url}/token`) } : {}) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_WEB_CLIENT.redirect_uri, code_verifier: verifier }).toString(),
  });
  if (!response.ok) throw new Error(`code exchange failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { access_token: string; refresh_token?: string };
}

