/**
 * What a person sees in the terminal on start: where the provider is, and on the first run the
 * admin's one-time password and the demo clients with a ready authorization URL. Secrets are
 * printed here exactly once, when they are created, and never logged.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config/loader.js';
import { DEMO_API, DEMO_SPA_CLIENT_ID, DEMO_WEB_CLIENT_ID } from './modules/bootstrap/index.js';
import type { FirstRunReport } from './start.js';

const DEMO_WEB_REDIRECT = 'http://localhost:8080/callback';
const DEMO_SPA_REDIRECT = 'http://localhost:5173/callback';

function authorizationUrl(issuer: string, clientId: string, redirectUri: string) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid profile email',
    redirect_uri: redirectUri,
    state: randomBytes(12).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { url: url.toString(), verifier };
}

export function startupBanner(config: Config, report: FirstRunReport, listening: string): string {
  const lines = [`OpenID Provider listening on ${listening}`, `  issuer:    ${config.issuer}`, `  discovery: ${config.issuer}/.well-known/openid-configuration`];
  if (report.admin) {
    lines.push('', 'First run: an administrator account was created. This one-time password is shown only now;', 'you choose your own at the first sign-in:', `  username: ${report.admin.username}`, `  password: ${report.admin.password}`);
  }
  if (report.demo) {
    const web = report.demo.clients.find((c) => c.clientId === DEMO_WEB_CLIENT_ID);
    const spa = authorizationUrl(config.issuer, DEMO_SPA_CLIENT_ID, DEMO_SPA_REDIRECT);
    const confidential = authorizationUrl(config.issuer, DEMO_WEB_CLIENT_ID, DEMO_WEB_REDIRECT);
    lines.push(
      '',
      'Demo clients (DEMO_CLIENTS=false to remove from new deployments):',
      `  ${DEMO_WEB_CLIENT_ID}  confidential, redirect_uri ${DEMO_WEB_REDIRECT}`,
      web?.generatedSecret ? `             client_secret ${web.generatedSecret}  (shown only now)` : '             client_secret: as printed on the first start',
      `  ${DEMO_SPA_CLIENT_ID}  public (PKCE), redirect_uri ${DEMO_SPA_REDIRECT}`,
      `  demo API   ${DEMO_API}  (scopes demo:read demo:write)`,
      '',
      `Try it: open ${config.issuer}/ and choose "Sign in with the demo app": it runs the code flow with`,
      '  PKCE for demo-spa and shows the code, the tokens and their claims. By hand instead: open',
      `  ${spa.url}`,
      `  and exchange the code from the address you land on (within ${config.ttl.authorizationCode} s):`,
      `  curl -s ${config.issuer}/token -d grant_type=authorization_code -d client_id=${DEMO_SPA_CLIENT_ID} \\`,
      `       -d redirect_uri=${DEMO_SPA_REDIRECT} -d code_verifier=${spa.verifier} -d code=CODE`,
      '',
      `  Confidential client: ${confidential.url}`,
      `  code_verifier: ${confidential.verifier}`,
    );
  }
  if (report.seed) {
    lines.push('', `Seed applied: ${report.seed.clients.length} clients, ${report.seed.apis.length} APIs, ${report.seed.users.length} users`);
    for (const client of report.seed.clients.filter((c) => c.generatedSecret)) {
      lines.push(`  ${client.clientId}: generated client_secret ${client.generatedSecret}  (shown only now)`);
    }
  }
  return lines.join('\n');
}
