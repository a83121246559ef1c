/**
 * Shared steps of the device sign-in suites: a seed with a device client (a TV app: public, the
 * device_code grant only) and a browserless user who enters the code, signs in, consents and
 * confirms. Not a test file.
 */
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { defaultSeed, TEST_USER } from '../../helpers/provider.js';

export const TV_CLIENT = { client_id: 'tv-app', client_name: 'Living Room TV' };
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export function deviceSeed(): Record<string, unknown> {
  const seed = defaultSeed();
  (seed.clients as unknown[]).push({
    ...TV_CLIENT,
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE_GRANT, 'refresh_token'],
    redirect_uris: [],
    scope: 'openid profile offline_access',
  });
  return seed;
}

export function xsrfOf(html: string): string {
  const match = /name="xsrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no xsrf token in page: ${html.slice(0, 300)}`);
  return match[1]!;
}

/** Opens the code page, submits `userCode`; @returns the page the provider answers with. */
export async function enterCode(agent: UserAgent, issuer: string, userCode: string) {
  const { response } = await agent.follow(`${issuer}/device`);
  const html = await response.text();
  const answer = await agent.submit(`${issuer}/device`, { xsrf: xsrfOf(html), user_code: userCode });
  return { status: answer.response.status, html: await answer.response.text() };
}

/** The whole user side: code, confirmation, sign-in, consent; @returns the final page. */
export async function approveDevice(agent: UserAgent, issuer: string, userCode: string, decision: 'confirm' | 'abort' = 'confirm') {
  const pages: string[] = [];
  const entered = await enterCode(agent, issuer, userCode);
  pages.push(entered.html);
  if (!entered.html.includes('name="confirm"')) throw new Error(`no confirmation page: ${entered.html.slice(0, 500)}`);
  let { response } = await agent.submit(`${issuer}/device`, { xsrf: xsrfOf(entered.html), user_code: userCode, [decision]: 'yes' });
  for (let step = 0; step < 5; step += 1) {
    const html = await response.text();
    pages.push(html);
    if (html.includes('name="password"')) {
      ({ response } = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), login: TEST_USER.username, password: TEST_USER.password }));
    } else if (html.includes('name="decision"')) {
      ({ response } = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), decision: 'allow' }));
    } else {
      return { status: response.status, html, pages };
    }
  }
  throw new Error('device approval did not finish');
}
