/**
 * A browserless user agent for protocol tests: follows the provider's redirects by hand with a
 * path-aware cookie jar, fills the login and consent forms, and stops at the client's
 * redirect URI. Page flows in a real browser are the browser tests' job.
 */
export interface Cookie {
  name: string;
  value: string;
  path: string;
}

export class CookieJar {
  private cookies: Cookie[] = [];

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attr = Object.fromEntries(attributes.map((a) => {
        const [k, ...v] = a.split('=');
        return [k!.toLowerCase(), v.join('=')];
      }));
      const path = attr.path || '/';
      const expired = (attr.expires && new Date(attr.expires).getTime() <= Date.now()) || attr['max-age'] === '0' || value === '';
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired) this.cookies.push({ name, value, path });
    }
  }

  header(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  clear(): void {
    this.cookies = [];
  }
}

export class UserAgent {
  readonly jar = new CookieJar();
  lastPage = '';

  /** @param defaults headers sent with every request unless the request sets them (a browser's User-Agent, a proxy's X-Forwarded-For). */
  constructor(private readonly origin: string, private readonly defaults: Record<string, string> = {}) {}

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.origin);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.defaults)) if (!headers.has(name)) headers.set(name, value);
    const cookie = this.jar.header(target);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.jar.store(response);
    return response;
  }

  /** Follows redirects while they stay on the provider; @returns the first response that does not. */
  async follow(url: string | URL, init: RequestInit = {}): Promise<{ response: Response; url: URL }> {
    let target = new URL(url, this.origin);
    let response = await this.request(target, init);
    for (let hops = 0; hops < 20 && response.status >= 300 && response.status < 400; hops += 1) {
      const location = response.headers.get('location')!;
      target = new URL(location, target);
      if (target.origin !== this.origin) return { response, url: target };
      response = await this.request(target);
    }
    return { response, url: target };
  }

  async submit(action: string, fields: Record<string, string>): Promise<{ response: Response; url: URL }> {
    return this.follow(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export function formAction(html: string, path: string): string {
  const match = html.match(new RegExp(`action="(${path.replace(/[/]/g, '\\/')}[^"]*)"`));
  if (!match) throw new Error(`no form posting to ${path} in page`);
  return match[1]!.replace(/&amp;/g, '&');
}

export function csrfOf(html: string): string {
  const match = html.match(/name="csrf" value="([^"]+)"/);
  if (!match) throw new Error('no csrf token in page');
  return match[1]!;
}

export interface FlowResult {
  /** Where the provider finally sent the browser (the client's redirect URI with its parameters). */
  callback: URL;
  pages: string[];
}

/**
 * Drives an authorization request to its end: logs in when asked, consents (or denies) when
 * asked. @throws when the provider shows an error page instead of redirecting.
 */
export async function authorize(
  agent: UserAgent,
  authorizationUrl: URL | string,
  user: { login: string; password: string } | undefined,
  options: { consent?: 'allow' | 'deny'; newPassword?: string } = {},
): Promise<FlowResult> {
  const pages: string[] = [];
  let loggedIn = false;
  let { response, url } = await agent.follow(authorizationUrl);
  for (let step = 0; step < 6; step += 1) {
    if (response.status >= 300 && response.status < 400) return { callback: url, pages };
    const html = await response.text();
    agent.lastPage = html;
    pages.push(html);
    if (response.status >= 400 && !html.includes('name="csrf"')) throw new Error(`provider answered ${response.status}: ${html.slice(0, 500)}`);
    if (html.includes('name="confirm"')) {
      if (!options.newPassword) throw new Error('the provider asks for a new password but no newPassword was given');
      ({ response, url } = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), password: options.newPassword, confirm: options.newPassword }));
    } else if (html.includes('name="password"')) {
      if (!user) throw new Error('login requested but no user given');
      // The form again after our credentials: refused. Retrying would only feed the lockout.
      if (loggedIn) throw new Error(`login refused: ${/role="alert"[^>]*>([^<]*)/.exec(html)?.[1] ?? `status ${response.status}`}`);
      loggedIn = true;
      ({ response, url } = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), login: user.login, password: user.password }));
    } else if (html.includes('name="decision"')) {
      ({ response, url } = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), decision: options.consent ?? 'allow' }));
    } else {
      throw new Error(`unexpected page: ${html.slice(0, 300)}`);
    }
  }
  throw new Error('authorization did not finish');
}
