/**
 * Bad form bodies on the sign-in pages and on /account (issue 11, defect 4): a false
 * `Content-Encoding: gzip` on a plain url-encoded body, malformed percent-encoding, a 20 MB
 * body and a JSON body answer a 4xx error page in the browser's language, never a 500, and the
 * form still works afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { client, discover, pkcePair } from '../../helpers/rp.js';
import { signInToAccount, startWorld, type SelfServiceWorld } from '../self-service/support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

const STACK_TRACE = /\bat [^\n]*\.(ts|js|mjs|cjs):\d+|node_modules|\/work\//;
const FORM = 'application/x-www-form-urlencoded';

/** An agent on the login page of a fresh sign-in: the action to post to and a valid body. */
async function loginForm() {
  const config = await discover(world.op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const { challenge } = await pkcePair();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state: client.randomState() });
  const agent = new UserAgent(world.op.issuer);
  const html = await (await agent.follow(url)).response.text();
  const body = new URLSearchParams({ csrf: csrfOf(html), login: TEST_USER.username, password: TEST_USER.password }).toString();
  return { agent, action: formAction(html, '/interaction/'), body };
}

/** An agent signed in to /account: the profile form's action and a valid body. */
async function profileForm(username: string) {
  const { createUser } = await import('../../../server/modules/users/index.js');
  await createUser(world.op.running.container, { username, email: `${username}@example.com`, emailVerified: true, password: 'a long and private passphrase', profile: {} });
  const agent = new UserAgent(world.op.issuer);
  const html = await signInToAccount(agent, username, 'a long and private passphrase');
  return { agent, action: '/account/profile', body: new URLSearchParams({ csrf: csrfOf(html), name: 'Still Works' }).toString() };
}

async function send(agent: UserAgent, action: string, body: string | Buffer, headers: Record<string, string>) {
  const response = await agent.request(action, { method: 'POST', headers, body });
  return { status: response.status, type: response.headers.get('content-type') ?? '', html: await response.text() };
}

type Form = Awaited<ReturnType<typeof loginForm>>;

function badBodies(name: string, open: () => Promise<Form>, works: (form: Form) => Promise<void>) {
  describe(name, () => {
    it('answers a false Content-Encoding: gzip on a plain url-encoded body with a 415 page, in the browser’s language', async () => {
      const form = await open();
      const answer = await send(form.agent, form.action, form.body, { 'content-type': FORM, 'content-encoding': 'gzip', 'accept-language': 'de-DE' });
      expect(answer.status).toBe(415);
      expect(answer.type).toMatch(/^text\/html/);
      expect(answer.html).toContain('lang="de"');
      expect(answer.html).toContain('Dieses Formular wurde in einer Form gesendet, die wir nicht annehmen.');
      expect(answer.html).toContain('unsupported_form');
      expect(answer.html).not.toMatch(STACK_TRACE);
      await works(form);
    });

    it('answers malformed percent-encoding with a 400 page', async () => {
      const form = await open();
      for (const body of [`${form.body}&name=%E0%A4%A`, `${form.body}&name=%zz`, `${form.body}&name=%C3%28`, `${form.body}&name=%00`]) {
        const answer = await send(form.agent, form.action, body, { 'content-type': FORM });
        expect(answer.status, body).toBe(400);
        expect(answer.html).toContain('This form could not be read.');
        expect(answer.html).not.toMatch(STACK_TRACE);
      }
      await works(form);
    });

    it('answers a 20 MB body with a 413 page', async () => {
      const form = await open();
      const answer = await send(form.agent, form.action, Buffer.concat([Buffer.from(`${form.body}&name=`), Buffer.alloc(20 * 1024 * 1024, 'a')]), { 'content-type': FORM });
      expect(answer.status).toBe(413);
      expect(answer.html).toContain('This form is too large.');
      await works(form);
    });

    it('answers a JSON body to the form endpoint with a 415 page', async () => {
      const form = await open();
      const answer = await send(form.agent, form.action, JSON.stringify(Object.fromEntries(new URLSearchParams(form.body))), { 'content-type': 'application/json' });
      expect(answer.status).toBe(415);
      expect(answer.html).toContain('This form was sent in a way we do not accept.');
      await works(form);
    });
  });
}

badBodies('an interaction POST (the login form)', loginForm, async (form) => {
  // The password was taken: the sign-in goes on to the provider.
  const answer = await form.agent.request(form.action, { method: 'POST', headers: { 'content-type': FORM }, body: form.body });
  expect(answer.status).toBe(303);
  expect(answer.headers.get('location')).toMatch(/\/auth\//);
});

badBodies('an /account POST (the profile form)', () => profileForm(`bodies-${Math.random().toString(36).slice(2, 10)}`), async (form) => {
  const answer = await form.agent.request(form.action, { method: 'POST', headers: { 'content-type': FORM }, body: form.body });
  expect(answer.status).toBe(303);
  expect(answer.headers.get('location')).toBe('/account?done=profile');
});
