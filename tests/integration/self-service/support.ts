/** Shared steps of the self-service suites: a provider with a mailbox, forms over HTTP, /account sign-in. */
import { expect } from 'vitest';
import { csrfOf, UserAgent } from '../../helpers/browser.js';
import { openMailbox, type Mailbox } from '../../helpers/mailbox.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

export interface SelfServiceWorld {
  op: TestProvider;
  mailbox: Mailbox;
  stop(): Promise<void>;
}

export async function startWorld(env: Record<string, string> = {}): Promise<SelfServiceWorld> {
  const mailbox = await openMailbox();
  const op = await startTestProvider({ ...mailbox.provider, env: { SIGNUP_ENABLED: 'true', ...mailbox.provider.env, ...env } });
  return { op, mailbox, stop: async () => { await op.stop(); await mailbox.close(); } };
}

/** GETs a page and @returns its HTML (following redirects on the provider). */
export async function page(agent: UserAgent, path: string): Promise<{ html: string; status: number; url: URL }> {
  const { response, url } = await agent.follow(path);
  return { html: await response.text(), status: response.status, url };
}

/** Posts a form of the page `html` (its CSRF token added). */
export async function post(agent: UserAgent, html: string, action: string, fields: Record<string, string>) {
  const { response, url } = await agent.submit(action, { csrf: csrfOf(html), ...fields });
  return { html: response.status >= 300 && response.status < 400 ? '' : await response.text(), status: response.status, url, location: response.headers.get('location') };
}

/** Signs in to /account through the account-console code flow. @returns the account page. */
export async function signInToAccount(agent: UserAgent, login: string, password: string): Promise<string> {
  const start = await page(agent, '/account');
  expect(start.html).toContain('name="password"');
  const action = start.html.match(/action="(\/interaction\/[^"]+\/login)"/)![1]!;
  const done = await post(agent, start.html, action, { login, password });
  expect(done.status, done.html.slice(0, 400)).toBe(200);
  expect(done.url.pathname).toBe('/account');
  return done.html;
}
