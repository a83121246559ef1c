/**
 * TOTP over real HTTP: a client with `mfa_policy: required` makes a user without a factor enrol
 * during sign-in (QR code, secret, first code, recovery codes shown once); the ID token says
 * amr pwd+otp+mfa and the MFA acr; codes are single-use per time step; recovery codes work once;
 * secrets are sealed and codes hashed at rest; concurrent uses of one code succeed once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_MFA, ACR_PASSWORD, ACR_PHISHING_RESISTANT } from '../../../server/modules/auth/index.js';
import { BOB, MFA_CLIENT, mfaSeed, nextTotp } from '../../helpers/mfa.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { discover } from '../../helpers/rp.js';
import { Flow, recoveryCodesOf, secretOf, type RpConfig } from './flow.js';

let op: TestProvider;
let bank: RpConfig;
let web: RpConfig;
let secret: string;
let recoveryCodes: string[];

beforeAll(async () => {
  op = await startTestProvider({ seed: mfaSeed() });
  bank = await discover(op.issuer, MFA_CLIENT.client_id, MFA_CLIENT.client_secret);
  web = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
});
afterAll(async () => {
  await op?.stop();
});

const bobId = async () => (await op.running.container.users.findByLogin(BOB.username))!.id;

describe('TOTP enrolment during sign-in and TOTP sign-in', () => {
  it('advertises the acr values', async () => {
    expect(bank.serverMetadata().acr_values_supported).toEqual([ACR_PASSWORD, ACR_MFA, ACR_PHISHING_RESISTANT]);
  });

  it('enrols a user without a factor at a client that requires MFA, then finishes with amr pwd otp mfa', async () => {
    const flow = new Flow(op, bank, MFA_CLIENT.redirect_uri);
    await flow.start();
    const enrol = await flow.submit('/login', { login: BOB.username, password: BOB.password });
    expect(enrol.status).toBe(200);
    expect(enrol.html).toContain('Set up two-step verification');
    expect(enrol.html).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    expect(enrol.headers.get('content-security-policy')).toContain("img-src 'self' data:");
    expect(enrol.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    secret = secretOf(enrol.html);

    const wrong = await flow.submit('/mfa/enrol', { code: 'abcdef' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('aria-describedby="enrol-error"');
    // The same secret is shown again after a wrong code: the app the user set up keeps working.
    expect(secretOf(wrong.html)).toBe(secret);

    const codesPage = await flow.submit('/mfa/enrol', { code: await nextTotp(secret) });
    expect(codesPage.status).toBe(200);
    recoveryCodes = recoveryCodesOf(codesPage.html);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    await flow.submit('/mfa/done', {});
    const { claims } = await flow.tokens();
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  }, 120_000);

  it('keeps the TOTP secret sealed and only keyed hashes of recovery codes', async () => {
    const rows = await op.running.container.database.knex('credentials').where({ user_id: await bobId() }).select('type', 'secret', 'data');
    const totp = rows.find((r) => r.type === 'totp')!;
    expect(totp.secret).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(secret);
    for (const code of recoveryCodes) expect(JSON.stringify(rows)).not.toContain(code.replace('-', ''));
  });

  it('asks an enrolled user for a code even at a client with an optional policy, and refuses a reused code', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start();
    const challenge = await flow.submit('/login', { login: BOB.email, password: BOB.password });
    expect(challenge.html).toContain('Code from your authenticator app');
    const code = await nextTotp(secret);
    // Another tab used the code first: the same time step must not work twice.
    const other = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await other.start();
    await other.submit('/login', { login: BOB.username, password: BOB.password });
    await other.submit('/mfa', { method: 'totp', code });
    expect((await other.tokens()).claims.amr).toEqual(['pwd', 'otp', 'mfa']);

    const reused = await flow.submit('/mfa', { method: 'totp', code });
    expect(reused.status).toBe(401);
    expect(reused.html).toContain('That code is not valid.');
    expect(reused.html).toContain('aria-describedby="totp-help totp-error"');
    await flow.submit('/mfa', { method: 'totp', code: await nextTotp(secret) });
    const { claims } = await flow.tokens();
    expect(claims.acr).toBe(ACR_MFA);
  }, 120_000);

  it('signs in with a recovery code once; the same code fails the second time', async () => {
    const [code] = recoveryCodes;
    const first = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await first.start();
    await first.submit('/login', { login: BOB.username, password: BOB.password });
    // Typed in lower case with a space: normalised before hashing.
    await first.submit('/mfa', { method: 'recovery', code: code!.toLowerCase().replace('-', ' ') });
    expect((await first.tokens()).claims.amr).toEqual(['pwd', 'otp', 'mfa']);

    const second = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await second.start();
    await second.submit('/login', { login: BOB.username, password: BOB.password });
    const again = await second.submit('/mfa', { method: 'recovery', code: code! });
    expect(again.status).toBe(401);
    expect(again.html).toContain('aria-describedby="recovery-help recovery-error"');
    const factors = await op.running.container.mfa.listFactors(await bobId());
    expect(factors.find((f) => f.type === 'recovery_codes')?.detail).toBe('9');
  });

  it('lets only one of two concurrent uses of a recovery code or a TOTP code succeed', async () => {
    const { mfa } = op.running.container;
    const userId = await bobId();
    const code = recoveryCodes[1]!;
    const used = await Promise.all([mfa.useRecoveryCode(userId, code), mfa.useRecoveryCode(userId, code), mfa.useRecoveryCode(userId, code)]);
    expect(used.filter(Boolean)).toHaveLength(1);
    const totp = await nextTotp(secret);
    const checks = await Promise.all([mfa.verifyTotp(userId, totp), mfa.verifyTotp(userId, totp), mfa.verifyTotp(userId, totp)]);
    expect(checks.filter((c) => c.ok)).toHaveLength(1);
    expect(checks.filter((c) => !c.ok).map((c) => !c.ok && c.reason)).toEqual(['code_reused', 'code_reused']);
  }, 120_000);

  it('does not ask a user without factors at a client with an optional policy', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start();
    await flow.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
    const { claims } = await flow.tokens();
    expect(claims.amr).toEqual(['pwd']);
    expect(claims.acr).toBe(ACR_PASSWORD);
  });

  it('cannot reach the factor pages without passing the password first', async () => {
    const flow = new Flow(op, bank, MFA_CLIENT.redirect_uri);
    const login = await flow.start();
    const uid = login.html.match(/action="\/interaction\/([^/"]+)\/login"/)![1];
    const { response } = await flow.agent.follow(`/interaction/${uid}/mfa`);
    // Sent back to the interaction, which shows the login form again.
    expect(await response.text()).toContain('name="password"');
  });
});
