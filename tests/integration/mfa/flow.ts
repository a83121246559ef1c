/**
 * A step-by-step sign-in over HTTP for the MFA suites: each call submits one page and returns
 * the next one (or the client callback), so a test can assert every page on the way. Not a test
 * file.
 */
import { expect } from 'vitest';
import { csrfOf, UserAgent } from '../../helpers/browser.js';
import type { TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

export type RpConfig = Awaited<ReturnType<typeof discover>>;

export interface Step {
  status: number;
  html: string;
  /** Set when the provider sent the browser back to the client. */
  callback?: URL;
  headers: Headers;
}

export class Flow {
  page!: Step;
  private request!: Awaited<ReturnType<typeof authorizationRequest>>;

  constructor(
    readonly op: TestProvider,
    readonly config: RpConfig,
    readonly redirectUri: string,
    readonly agent = new UserAgent(op.issuer),
  ) {}

  async start(params: Record<string, string> = {}): Promise<Step> {
    this.request = await authorizationRequest(this.config, { redirect_uri: this.redirectUri, scope: 'openid email', ...params });
    return this.take(await this.agent.follow(this.request.url));
  }

  /** Submits the form of the current page whose action ends with `suffix` (e.g. `/login`, `/mfa`). */
  async submit(suffix: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Step> {
    const action = actionOf(this.page.html, suffix);
    return this.take(await this.agent.follow(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ csrf: csrfOf(this.page.html), ...fields }).toString(),
    }));
  }

  /** Allows consent when the page asks for it; @returns the callback. */
  async consentIfAsked(): Promise<URL> {
    if (!this.page.callback && this.page.html.includes('name="decision"')) await this.submit('/consent', { decision: 'allow' });
    expect(this.page.callback, this.page.html.slice(0, 400)).toBeDefined();
    return this.page.callback!;
  }

  /** Exchanges the code with openid-client and @returns the ID token claims. */
  async tokens() {
    const callback = await this.consentIfAsked();
    const tokens = await client.authorizationCodeGrant(this.config, callback, {
      pkceCodeVerifier: this.request.verifier,
      expectedState: this.request.state,
      expectedNonce: this.request.nonce,
    });
    return { tokens, claims: tokens.claims()! };
  }

  private async take({ response, url }: { response: Response; url: URL }): Promise<Step> {
    const external = url.origin !== this.op.issuer;
    const html = external ? '' : await response.text();
    // Signing in as another account ends the old session first: oidc-provider answers with a
    // self-submitting form (a browser runs its script); submit it as the browser would.
    const autoSubmit = html.match(/<form method="post" action="([^"]+\/session\/end\/confirm)">([\s\S]*?)<\/form>/);
    if (autoSubmit && html.includes('document.forms[0].submit()')) {
      const fields = Object.fromEntries([...autoSubmit[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      return this.take(await this.agent.submit(autoSubmit[1]!, fields));
    }
    this.page = { status: response.status, html, headers: response.headers, ...(external ? { callback: url } : {}) };
    return this.page;
  }
}

export function actionOf(html: string, suffix: string): string {
  const escaped = suffix.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&');
  const match = html.match(new RegExp(`action="(/interaction/[^"/]+${escaped})"`));
  if (!match) throw new Error(`no form posting to …${suffix} in page: ${html.slice(0, 600)}`);
  return match[1]!;
}

export function secretOf(html: string): string {
  // The page groups the key in fours; the whole key is in data-text (what "copy" copies).
  const match = html.match(/<code class="secret"[^>]*data-text="([A-Z2-7 ]+)"/);
  if (!match) throw new Error('no TOTP secret on the page');
  return match[1]!.replace(/\s/g, '');
}

export function recoveryCodesOf(html: string): string[] {
  return [...html.matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)].map((m) => m[1]!);
}
