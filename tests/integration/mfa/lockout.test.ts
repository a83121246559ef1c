/**
 * Lockout with exponential backoff at the password and the second-factor step: blocks are short
 * and capped, a correct password from another address still gets in, every lockout is audited,
 * and an unknown account gets exactly the answer a wrong password gets.
 */
import type { AuditEventType } from '../../../server/modules/compliance/index.js';
import { auditRecords } from '../../helpers/audit.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackoffSchedule } from '../../../server/modules/auth/domain/backoff.js';
import { DEFAULT_LOCKOUT_SCHEDULES, type LockoutSchedules } from '../../../server/modules/auth/index.js';
import { BOB, MFA_CLIENT, mfaSeed, nextTotp } from '../../helpers/mfa.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { discover } from '../../helpers/rp.js';
import { Flow, secretOf, type RpConfig } from './flow.js';

/**
 * The production schedules with fewer free attempts and a 1 s base, so each test needs a handful
 * of sign-ins and one-second waits instead of twenty-odd sign-ins and longer waits. The caps are
 * the production ones: capping is what these tests check. tests/unit/lockout.test.ts checks the
 * production numbers themselves.
 */
const SCHEDULES: LockoutSchedules = {
  accountIp: { ...DEFAULT_LOCKOUT_SCHEDULES.accountIp, free: 2, baseSeconds: 1 },
  account: { ...DEFAULT_LOCKOUT_SCHEDULES.account, free: 5, baseSeconds: 1 },
  ip: DEFAULT_LOCKOUT_SCHEDULES.ip,
  mfa: { ...DEFAULT_LOCKOUT_SCHEDULES.mfa, free: 1, baseSeconds: 1 },
};
const ACCOUNT_IP_BACKOFF: BackoffSchedule = SCHEDULES.accountIp;
const ACCOUNT_BACKOFF: BackoffSchedule = SCHEDULES.account;
const MFA_BACKOFF: BackoffSchedule = SCHEDULES.mfa;

let op: TestProvider;
let web: RpConfig;
let bank: RpConfig;

beforeAll(async () => {
  // TRUST_PROXY so each attempt can speak for a client address; a large window budget so the
  // backoff, not the budget, is what these tests see.
  op = await startTestProvider({ seed: mfaSeed(), env: { TRUST_PROXY: 'true', LOGIN_FAILURE_LIMIT: '1000' }, lockoutSchedules: SCHEDULES });
  web = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  bank = await discover(op.issuer, MFA_CLIENT.client_id, MFA_CLIENT.client_secret);
});
afterAll(async () => {
  await op?.stop();
});

async function attempt(login: string, password: string, ip: string, config = web, redirect = WEB_CLIENT.redirect_uri) {
  const flow = new Flow(op, config, redirect);
  await flow.start();
  const page = await flow.submit('/login', { login, password }, { 'x-forwarded-for': ip });
  return { flow, page };
}

const audits = (type: AuditEventType) => auditRecords(op, type);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('password lockout', () => {
  it('answers an unknown account exactly as a wrong password: same status, same page', async () => {
    const normalize = (html: string) => html.replace(/name="csrf" value="[^"]+"/g, 'csrf').replace(/\/interaction\/[^/"]+\//g, '/interaction/UID/').replace(/interaction=[^"&]+/g, 'interaction=UID').replace(/value="(nobody-here|alice)"/g, 'value="LOGIN"');
    const wrong = await attempt(TEST_USER.username, 'not the password', '203.0.113.1');
    const unknown = await attempt('nobody-here', 'not the password', '203.0.113.2');
    expect(unknown.page.status).toBe(wrong.page.status);
    expect(wrong.page.status).toBe(401);
    expect(normalize(unknown.page.html)).toBe(normalize(wrong.page.html));
    expect(wrong.page.html).toContain('Invalid username or password.');
  });

  it('backs off one name at one address after the free attempts, briefly, and says when to retry', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < ACCOUNT_IP_BACKOFF.free; i += 1) expect((await attempt(TEST_USER.username, 'wrong', ip)).page.status).toBe(401);
    // The first failure past the free ones blocks for baseSeconds…
    expect((await attempt(TEST_USER.username, 'wrong', ip)).page.status).toBe(401);
    const blocked = await attempt(TEST_USER.username, TEST_USER.password, ip);
    expect(blocked.page.status).toBe(429);
    expect(Number(blocked.page.headers.get('retry-after'))).toBe(ACCOUNT_IP_BACKOFF.baseSeconds);
    expect(blocked.page.html).toContain('Too many failed attempts. Try again in 1 second.');
    // …while the owner at another address is not held up at all.
    const elsewhere = await attempt(TEST_USER.username, TEST_USER.password, '203.0.113.11');
    expect(elsewhere.page.callback ?? elsewhere.page.html.includes('name="decision"')).toBeTruthy();
    // And once the short block is over, the right password works from the first address too.
    await sleep(ACCOUNT_IP_BACKOFF.baseSeconds * 1000 + 200);
    const after = await attempt(TEST_USER.username, TEST_USER.password, ip);
    expect(after.page.status).not.toBe(429);
    const lockouts = await audits('auth.lockout');
    expect(lockouts.length).toBeGreaterThan(0);
    expect(lockouts[0]).toMatchObject({ outcome: 'denied', ip, details: { stage: 'password' } });
    expect(JSON.stringify(lockouts)).not.toContain('wrong');
  }, 60_000);

  it('slows a guess at one account spread over many addresses, capped so the owner is never shut out', async () => {
    for (let i = 0; i <= ACCOUNT_BACKOFF.free; i += 1) await attempt(BOB.username, 'wrong', `198.18.0.${i + 1}`);
    const owner = await attempt(BOB.username, BOB.password, '198.18.1.1');
    expect(owner.page.status).toBe(429);
    const wait = Number(owner.page.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(ACCOUNT_BACKOFF.capSeconds);
    await sleep(wait * 1000 + 200);
    const later = await attempt(BOB.username, BOB.password, '198.18.1.1', bank, MFA_CLIENT.redirect_uri);
    expect(later.page.status).toBe(200);
    expect(later.page.html).toContain('Set up two-step verification');
  }, 60_000);
});

describe('second-factor lockout', () => {
  it('backs off wrong codes per account and audits it; the right code works after the wait', async () => {
    const { flow, page } = await attempt(BOB.username, BOB.password, '198.18.2.1', bank, MFA_CLIENT.redirect_uri);
    const secret = secretOf(page.html);
    await flow.submit('/mfa/enrol', { code: await nextTotp(secret) });
    await flow.submit('/mfa/done', {});
    await flow.tokens();

    const second = await attempt(BOB.username, BOB.password, '198.18.2.1', bank, MFA_CLIENT.redirect_uri);
    for (let i = 0; i <= MFA_BACKOFF.free; i += 1) expect((await second.flow.submit('/mfa', { method: 'totp', code: '000000' })).status).toBe(401);
    const blocked = await second.flow.submit('/mfa', { method: 'totp', code: await nextTotp(secret) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(MFA_BACKOFF.baseSeconds);
    expect((await audits('auth.lockout')).some((a) => a.details?.stage === 'mfa')).toBe(true);
    expect((await audits('auth.mfa.failure')).length).toBeGreaterThanOrEqual(MFA_BACKOFF.free + 1);
    await sleep(MFA_BACKOFF.baseSeconds * 1000 + 200);
    await second.flow.submit('/mfa', { method: 'totp', code: await nextTotp(secret) });
    expect((await second.flow.tokens()).claims.amr).toEqual(['pwd', 'otp', 'mfa']);
  }, 120_000);
});
