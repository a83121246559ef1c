/**
 * The example apps of docs/connect-an-app.md, run as the page tells readers to run them and
 * driven in Chromium: a Node web app (openid-client), a Python web app (Authlib) and a browser
 * SPA (oauth4webapi, served as static files) each sign a user in with code + PKCE and show who
 * signed in; a wrong client secret makes the web apps say why. Python with Authlib and requests
 * is required under CI=true (.ci/run installs them); elsewhere its suite is skipped, saying so.
 * `DOCS_SCREENSHOTS=1` also saves the sign-in page as docs/images/sign-in.png for the README.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../config/paths.js';
import { checkPage, describeInChromium, hasChromium, launchChromium, screenshotDir } from '../../helpers/chromium.js';
import { freePort, startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';

const doc = readFileSync(join(projectRoot, 'docs/connect-an-app.md'), 'utf8');
const SECRET = 'example-app-secret-that-is-long-enough-1234567890';

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const pythonProblem = (() => {
  const check = spawnSync(python, ['-c', 'import authlib, requests'], { encoding: 'utf8' });
  if (check.error) return `no ${python}`;
  return check.status === 0 ? undefined : `${python} lacks Authlib or requests (apt-get install python3-authlib python3-requests)`;
})();

let op: TestProvider;
let browser: Browser;
const ports = { node: 0, python: 0, spa: 0 };
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  ports.node = await freePort();
  ports.python = await freePort();
  ports.spa = await freePort();
  const web = (id: string, port: number) => ({
    client_id: id, client_name: `My ${id}`, client_secret: SECRET,
    redirect_uris: [`http://localhost:${port}/callback`], scope: 'openid profile email',
  });
  op = await startTestProvider({
    seed: {
      clients: [
        web('node-app', ports.node),
        web('python-app', ports.python),
        { client_id: 'my-spa', client_name: 'My SPA', token_endpoint_auth_method: 'none', redirect_uris: [`http://localhost:${ports.spa}/`], scope: 'openid profile email' },
      ],
      users: [{ username: TEST_USER.username, email: TEST_USER.email, email_verified: true, password: TEST_USER.password, profile: { name: 'Alice Liddell' } }],
    },
  });
  browser = await launchChromium();
}, 120_000);
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
});

/** Starts an example program with the documented command and waits for its "Open …" line. */
async function startExample(command: string, env: Record<string, string>) {
  expect(doc, 'docs/connect-an-app.md runs the example with this command').toContain(command);
  const [program, ...args] = command.split(' ');
  const child = spawn(program === 'python3' ? python : program === 'node' ? process.execPath : program!, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ISSUER: op.issuer, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (let i = 0; i < 300 && !/Open http/.test(stdout) && child.exitCode === null; i += 1) await new Promise((r) => setTimeout(r, 100));
  expect(stdout, stderr).toMatch(/Open http:\/\/localhost:\d+\/ to sign in/);
  return { get stdout() { return stdout; }, get stderr() { return stderr; } };
}

/** Signs TEST_USER in on the provider's pages and allows access. */
async function signIn(page: Page, screenshot?: string) {
  await page.getByLabel('Username or email').waitFor();
  if (screenshot) await checkPage(page, screenshot);
  await page.getByLabel('Username or email').fill(TEST_USER.username);
  await page.getByLabel('Password').fill(TEST_USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Consent is asked once per user and client; a later sign-in goes straight back to the app.
  const allow = page.getByRole('button', { name: 'Allow' });
  await Promise.race([allow.waitFor(), page.waitForURL((url) => !url.href.startsWith(op.issuer))]);
  if (page.url().startsWith(op.issuer)) await allow.click();
}

function webAppSuite(name: string, command: () => string, clientId: string, port: () => number) {
  it(`${name}: signs in with code + PKCE and shows who signed in`, async () => {
    const app = await startExample(command(), { CLIENT_ID: clientId, CLIENT_SECRET: SECRET, PORT: String(port()) });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://localhost:${port()}/`);
    await signIn(page);
    await page.waitForURL(`http://localhost:${port()}/callback?**`);
    expect(await page.locator('body').textContent(), app.stderr).toContain('Signed in as Alice Liddell');
    await expect(page.getByRole('heading').textContent()).resolves.toBe('Signed in as Alice Liddell');
    await expect(page.locator('p').textContent()).resolves.toBe(`Email: ${TEST_USER.email}`);
    expect(app.stdout).toMatch(new RegExp(`Signed in as \\S+ \\(${TEST_USER.email}\\)`));
    await page.context().close();
  }, 90_000);

  it(`${name}: a wrong client secret fails at the token endpoint, and the app says so`, async () => {
    const app = await startExample(command(), { CLIENT_ID: clientId, CLIENT_SECRET: 'not-the-secret', PORT: String(port()) });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://localhost:${port()}/`);
    await signIn(page);
    await page.waitForURL(`http://localhost:${port()}/callback?**`);
    await expect(page.locator('body').textContent()).resolves.toMatch(/^Sign-in failed: .*invalid_client|^Sign-in failed: .*client authentication failed/i);
    expect(app.stderr).toMatch(/Sign-in failed: .*invalid_client/);
    await page.context().close();
  }, 90_000);
}

describeInChromium('docs/connect-an-app.md examples', () => {
  describe('Node (openid-client)', () => {
    webAppSuite('node', () => 'node docs/examples/web-app.mjs', 'node-app', () => ports.node);
  });

  const skipPython = !!pythonProblem && process.env.CI !== 'true';
  describe.skipIf(skipPython)(`Python (Authlib)${skipPython ? ` (SKIPPED: ${pythonProblem})` : ''}`, () => {
    it('has Python with Authlib and requests (required under CI=true)', () => {
      expect(pythonProblem).toBeUndefined();
    });
    webAppSuite('python', () => 'python3 docs/examples/web_app.py', 'python-app', () => ports.python);
  });

  describe('browser SPA (oauth4webapi)', () => {
    let site: Server;
    beforeAll(async () => {
      // What the page tells readers to do: serve docs/examples/spa with oauth4webapi's browser build beside it.
      const files: Record<string, [string, string]> = {
        '/': [join(projectRoot, 'docs/examples/spa/index.html'), 'text/html'],
        '/app.js': [join(projectRoot, 'docs/examples/spa/app.js'), 'text/javascript'],
        '/oauth4webapi.js': [join(projectRoot, 'node_modules/oauth4webapi/build/index.js'), 'text/javascript'],
      };
      const config = JSON.stringify({ issuer: op.issuer, client_id: 'my-spa', redirect_uri: `http://localhost:${ports.spa}/` });
      site = createServer((req, res) => {
        const path = new URL(req.url!, 'http://localhost').pathname;
        if (path === '/config.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(config);
        const file = files[path];
        if (!file) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
      });
      await new Promise<void>((resolve) => site.listen(ports.spa, 'localhost', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve())));

    it('signs in with code + PKCE and no secret, redeeming the code from the page', async () => {
      const page = await (await browser.newContext()).newPage();
      const tokenRequests: string[] = [];
      page.on('request', (request) => {
        if (request.url() === `${op.issuer}/token`) tokenRequests.push(request.postData() ?? '');
      });
      await page.goto(`http://localhost:${ports.spa}/`);
      await expect(page.locator('#status').textContent()).resolves.toBe('Not signed in.');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await signIn(page, 'docs-sign-in');
      await page.getByText('Signed in as').waitFor();
      await expect(page.locator('#status').textContent()).resolves.toBe(`Signed in as Alice Liddell (${TEST_USER.email})`);
      // The code left the address bar; the token request came from the page's origin, with a verifier and no secret.
      expect(page.url()).toBe(`http://localhost:${ports.spa}/`);
      expect(tokenRequests).toHaveLength(1);
      expect(new URLSearchParams(tokenRequests[0]).get('code_verifier')).toMatch(/^[\w-]{43}$/);
      expect(tokenRequests[0]).not.toContain('client_secret');
      if (process.env.DOCS_SCREENSHOTS === '1') copyFileSync(join(screenshotDir, 'docs-sign-in-desktop.png'), join(projectRoot, 'docs/images/sign-in.png'));
      await page.context().close();
    }, 90_000);

    it('a callback with a state this tab did not send is refused', async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`http://localhost:${ports.spa}/?code=abc&state=forged&iss=${encodeURIComponent(op.issuer)}`);
      await page.getByText('Sign-in failed').waitFor();
      await expect(page.locator('#status').textContent()).resolves.toBe('Sign-in failed: no sign-in in progress in this tab');
      await page.context().close();
    }, 60_000);
  });
});
