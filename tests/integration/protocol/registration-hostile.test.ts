/**
 * Hostile registration metadata (issue 11, defects 1 and 3): wrong types and text the database
 * cannot store answer 400 invalid_client_metadata (RFC 7591 §3.2.2), and the audit events of
 * those refusals — 300 emoji, a lone surrogate — never stall the audit trail: a normal sign-in
 * afterwards is in the chain, `audit verify` is OK and /readyz stays ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { auditRecords } from '../../helpers/audit.js';
import { readJson, signIn, webClient } from './support.js';

const TOKEN = 'hostile-initial-access-token-0123456789abcdef';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ env: { CLIENT_REGISTRATION_ENABLED: 'true', CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: TOKEN, METRICS_ENABLED: 'true' } });
});
afterAll(async () => {
  await op?.stop();
});

/** POSTs a raw JSON text to /reg, so NUL and lone surrogates go out exactly as written. */
async function registerRaw(json: string) {
  return readJson(await fetch(`${op.issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: json }));
}

const clientCount = async () => Number((await op.running.container.database.knex('clients').count('* as n').first())!.n);

describe('hostile registration metadata', () => {
  it.each([
    ['grant_types as an object', '{"redirect_uris":["https://a.example/cb"],"grant_types":{}}', 'grant_types'],
    ['grant_types as a string', '{"redirect_uris":["https://a.example/cb"],"grant_types":"authorization_code"}', 'grant_types'],
    ['client_name with a lone surrogate', '{"redirect_uris":["https://a.example/cb"],"client_name":"\\ud800"}', 'client_name'],
    ['client_name with NUL', '{"redirect_uris":["https://a.example/cb"],"client_name":"a\\u0000b"}', 'client_name'],
    ['a lone surrogate deep in contacts', '{"redirect_uris":["https://a.example/cb"],"contacts":["x\\udc00@example.com"]}', 'contacts'],
  ])('%s: 400 invalid_client_metadata naming the field, nothing stored', async (_name, json, field) => {
    const before = await clientCount();
    const { status, body } = await registerRaw(json);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_client_metadata');
    expect(String(body.error_description)).toContain(field);
    expect(await clientCount()).toBe(before);
  });
});

describe('the audit trail after hostile registrations', () => {
  it('takes 300 emoji and a lone surrogate, then a normal sign-in, and verifies', async () => {
    const emoji = await registerRaw(JSON.stringify({ redirect_uris: ['https://a.example/cb'], grant_types: Array.from({ length: 300 }, () => '😀') }));
    expect(emoji.status).toBe(400);
    const lone = await registerRaw('{"redirect_uris":["https://a.example/cb"],"grant_types":["\\ud800"]}');
    expect(lone.status).toBe(400);
    const { compliance } = op.running.container;
    await compliance.trail.flush();
    expect(compliance.trail.depth()).toBe(0);

    const { tokens } = await signIn(op, await webClient(op));
    expect(tokens.access_token).toBeTruthy();
    // The sign-in's events reached the chain behind the refusals'.
    expect((await auditRecords(op, 'oidc.grant.success')).length).toBeGreaterThan(0);
    expect((await auditRecords(op, 'auth.login.success')).length).toBeGreaterThan(0);
    expect(compliance.trail.depth()).toBe(0);
    expect(await compliance.verify()).toMatchObject({ ok: true });
    // Sanitising made every record storable: nothing had to be set aside.
    expect(Number((await op.running.container.database.knex('audit_quarantine').count('* as n').first())!.n)).toBe(0);

    const ready = await fetch(`${op.issuer}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.audit).toBe('ok');
    const metrics = await (await fetch(`${op.issuer}/metrics`)).text();
    expect(metrics).toMatch(/^audit_trail_stalled 0$/m);
    expect(metrics).toMatch(/^audit_records_quarantined_total 0$/m);
  });
});
