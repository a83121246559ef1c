/**
 * Sign-in providers on /account over real HTTP: link an upstream account (started on the account
 * page, finished against the account session), unlink it, and the refusal to unlink the last way
 * to sign in of an account created through the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, UserAgent } from '../../helpers/browser.js';
import { auditRecords } from '../../helpers/audit.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';
import { startUpstreamIssuer, type UpstreamIssuer } from '../../helpers/upstream-issuer.js';
import { page, signInToAccount } from '../self-service/support.js';

let upstream: UpstreamIssuer;
let op: TestProvider;

beforeAll(async () => {
  upstream = await startUpstreamIssuer();
  op = await startTestProvider({
    env: { UPSTREAM_OIDC_PROVIDERS: upstream.providerJson('corp', 'Corp SSO'), FEDERATION_ALLOW_HTTP_ISSUERS: 'true', FEDERATION_AUTO_REGISTER: 'true' },
  });
  await upstream.register(`${op.issuer}/federation/callback`);
});
afterAll(async () => {
  await op?.stop();
  await upstream?.stop();
});

/** Follows `path` on our provider to the upstream and back; @returns the page we end on. */
async function throughUpstream(agent: UserAgent, path: string) {
  const out = await agent.follow(path);
  expect(out.url.origin).toBe(upstream.issuer);
  const back = await new UserAgent(upstream.issuer).follow(out.url);
  return page(agent, back.url.href);
}

function unlinkAction(html: string): string {
  return /action="(\/account\/federation\/[^"]+\/unlink)"/.exec(html)![1]!;
}

describe('sign-in providers on /account', () => {
  it('links an upstream account to the signed-in user, then unlinks it (a password remains)', async () => {
    const agent = new UserAgent(op.issuer);
    const account = await signInToAccount(agent, TEST_USER.username, TEST_USER.password);
    expect(account).toContain('Sign-in providers');
    expect(account).toContain('href="/account/federation/corp/link"');

    upstream.next = { sub: 'alice-at-corp', email: 'alice@corp.example', email_verified: true };
    const linked = await throughUpstream(agent, '/account/federation/corp/link');
    expect(linked.url.pathname).toBe('/account');
    expect(linked.html).toContain('The sign-in provider is now linked to your account.');
    expect(linked.html).toContain('alice@corp.example');
    const alice = (await op.running.container.users.findByUsername(TEST_USER.username))!;
    expect((await op.running.container.linkedIdentities.list(alice.id)).identities).toMatchObject([{ subject: 'alice-at-corp' }]);
    expect((await auditRecords(op, 'auth.federation.linked')).at(-1)).toMatchObject({ actor: { id: alice.id }, details: { via: 'account' } });

    // Now Alice can sign in with Corp SSO.
    const viaUpstream = new UserAgent(op.issuer);
    const start = await page(viaUpstream, '/account');
    const href = /href="(\/interaction\/[^"]+\/federation\/corp)"/.exec(start.html)![1]!;
    const signedIn = await throughUpstream(viaUpstream, href);
    expect(signedIn.url.pathname).toBe('/account');
    expect(signedIn.html).toContain(alice.username);

    const unlinked = await agent.submit(unlinkAction(linked.html), { csrf: csrfOf(linked.html) });
    expect(unlinked.url.pathname).toBe('/account');
    expect(await unlinked.response.text()).toContain('The sign-in provider was unlinked.');
    expect((await op.running.container.linkedIdentities.list(alice.id)).identities).toEqual([]);
    const unlinkRecords = await auditRecords(op, 'auth.federation.unlinked');
    expect(unlinkRecords.at(-1)).toMatchObject({ outcome: 'success' });
  });

  it('refuses to unlink the only way to sign in of an account without a password', async () => {
    upstream.next = { sub: 'only-upstream', email: 'only@corp.example', email_verified: true };
    const agent = new UserAgent(op.issuer);
    const start = await page(agent, '/account');
    const href = /href="(\/interaction\/[^"]+\/federation\/corp)"/.exec(start.html)![1]!;
    const account = await throughUpstream(agent, href);
    expect(account.url.pathname).toBe('/account');
    const user = (await op.running.container.users.findByLogin('only@corp.example'))!;
    expect(await op.running.container.credentials.findPassword(user.id)).toBeUndefined();

    const refused = await agent.submit(unlinkAction(account.html), { csrf: csrfOf(account.html) });
    expect(await refused.response.text()).toContain('This is your only way to sign in.');
    expect((await op.running.container.linkedIdentities.list(user.id)).identities).toHaveLength(1);
    expect((await auditRecords(op, 'auth.federation.unlinked')).at(-1)).toMatchObject({ outcome: 'denied', details: { reason: 'last_method' } });
  });
});
