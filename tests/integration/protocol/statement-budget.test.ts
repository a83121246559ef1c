/**
 * How many SQL statements a sign-in costs: an authorization-code flow through the login and
 * consent pages and the code exchange, counted from knex's query events (tests/helpers/
 * sql-statements.ts). The bounds are what the flow sends today, so a change that adds reads or
 * writes to it fails here and has to raise the bound on purpose (docs/performance.md). Only
 * statements made on behalf of a request count: the audit trail's timed append and the outbox
 * worker run outside any request. A count, not a timing.
 *
 * With Redis, interactions and codes live there; on the embedded database (no Redis) they are
 * SQL statements too, hence a bound per kind of run. Each bound is the count measured when it was
 * set plus one: the client cache may refill once during a flow (adapters/db/cached-clients.ts).
 * Measured before issue 13's changes: 29 and 21 statements with Redis, 47 and 31 without.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { recordStatements, statementSummary } from '../../helpers/sql-statements.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

const withRedis = () => Boolean(op.running.container.redis);

/** The flow of a new browser (no cookies): /auth, login, consent when asked, callback, code exchange. */
async function codeFlow(scope: string): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${op.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: WEB_CLIENT.client_id,
    response_type: 'code',
    scope,
    redirect_uri: WEB_CLIENT.redirect_uri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const { callback } = await authorize(new UserAgent(op.issuer), url, { login: TEST_USER.username, password: TEST_USER.password });
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const response = await fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${WEB_CLIENT.client_id}:${WEB_CLIENT.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: WEB_CLIENT.redirect_uri, code_verifier: verifier }).toString(),
  });
  expect(response.status).toBe(200);
}

async function statementsOf(work: () => Promise<void>) {
  const recorder = recordStatements(op.running.container.database.knex);
  try {
    await work();
  } finally {
    recorder.stop();
  }
  return recorder.ofRequests();
}

describe('SQL statements per authorization-code flow', () => {
  it('the first sign-in of a user for a client, with consent: at most the bound', async () => {
    const statements = await statementsOf(() => codeFlow('openid email'));
    const bound = withRedis() ? 23 : 39;
    expect(statements.length, statementSummary(statements)).toBeLessThanOrEqual(bound);
  });

  it('a sign-in the user already consented to: at most the bound, and the user row read once per request', async () => {
    const statements = await statementsOf(() => codeFlow('openid email'));
    const bound = withRedis() ? 16 : 26;
    expect(statements.length, statementSummary(statements)).toBeLessThanOrEqual(bound);
    const perRequest = new Map<string, number>();
    for (const s of statements) if (/from "users" where/.test(s.sql)) perRequest.set(s.requestId!, (perRequest.get(s.requestId!) ?? 0) + 1);
    expect([...perRequest.values()].every((n) => n === 1), statementSummary(statements)).toBe(true);
  });
});
