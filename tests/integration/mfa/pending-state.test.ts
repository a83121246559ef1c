/**
 * The pending sign-in lives server-side (sign_in_flows), keyed by the interaction: it expires
 * with INTERACTION_TTL, a state of another interaction is refused, and it is gone once the login
 * is done. No cookie carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB, MFA_CLIENT, mfaSeed, nextTotp } from '../../helpers/mfa.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';
import { discover } from '../../helpers/rp.js';
import { actionOf, Flow, secretOf, type RpConfig } from './flow.js';

let op: TestProvider;
let bank: RpConfig;

beforeAll(async () => {
  op = await startTestProvider({ seed: mfaSeed() });
  bank = await discover(op.issuer, MFA_CLIENT.client_id, MFA_CLIENT.client_secret);
});
afterAll(async () => {
  await op?.stop();
});

const flows = () => op.running.container.database.knex('sign_in_flows');
const uidOf = (html: string) => /\/interaction\/([^/"]+)\//.exec(actionOf(html, '/mfa/enrol'))![1]!;
const userId = async (login: string) => (await op.running.container.users.findByLogin(login))!.id;

/** Signs `user` in at the MFA-requiring client up to its enrolment page. */
async function atEnrolment(user: { username: string; password: string }, flow = new Flow(op, bank, MFA_CLIENT.redirect_uri)) {
  await flow.start();
  const enrol = await flow.submit('/login', { login: user.username, password: user.password });
  expect(enrol.html).toContain('Set up two-step verification');
  return { flow, enrol, uid: uidOf(enrol.html) };
}

describe('the pending sign-in state', () => {
  it('is stored for the interaction with the interaction lifetime, never in a cookie, and is gone after the login', async () => {
    const before = Date.now();
    const { flow, enrol, uid } = await atEnrolment(BOB);
    const row = await flows().where({ interaction_uid: uid }).first();
    expect(row.user_id).toBe(await userId(BOB.username));
    expect(JSON.parse(row.state)).toMatchObject({ uid, step: 'enrolment', methods: ['pwd'], attempts: 0 });
    // INTERACTION_TTL defaults to an hour.
    expect(new Date(row.expires_at).getTime()).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(enrol.headers.get('set-cookie') ?? '').not.toMatch(/mfa_pending|pending_password_change/);

    const wrong = await flow.submit('/mfa/enrol', { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse((await flows().where({ interaction_uid: uid }).first()).state)).toMatchObject({ attempts: 1 });

    await flow.submit('/mfa/enrol', { code: await nextTotp(secretOf(wrong.html)) });
    expect(JSON.parse((await flows().where({ interaction_uid: uid }).first()).state)).toMatchObject({ step: 'recovery_codes', methods: ['pwd', 'otp'] });
    await flow.submit('/mfa/done', {});
    expect((await flow.tokens()).claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(await flows().where({ interaction_uid: uid })).toEqual([]);
  }, 120_000);

  it('is refused once expired: the right code then only leads back to the sign-in form', async () => {
    const { flow, enrol, uid } = await atEnrolment(TEST_USER);
    const row = await flows().where({ interaction_uid: uid }).first();
    const expired = Date.now() - 1_000;
    await flows().where({ interaction_uid: uid }).update({ state: JSON.stringify({ ...JSON.parse(row.state), expiresAt: expired }), expires_at: new Date(expired) });

    const page = await flow.submit('/mfa/enrol', { code: await nextTotp(secretOf(enrol.html)) });
    expect(page.callback).toBeUndefined();
    expect(page.html).toContain('name="password"');
    expect(await op.running.container.mfa.listFactors(await userId(TEST_USER.username))).toEqual([]);
  }, 120_000);

  it('of another interaction is refused, even when stored under this one', async () => {
    const { flow: first, uid: firstUid } = await atEnrolment(TEST_USER);
    const firstRow = await flows().where({ interaction_uid: firstUid }).first();
    // The same browser starts another sign-in: its interaction has no pending state of its own.
    const second = new Flow(op, bank, MFA_CLIENT.redirect_uri, first.agent);
    const login = await second.start();
    const secondUid = /\/interaction\/([^/"]+)\/login/.exec(actionOf(login.html, '/login'))![1]!;
    expect(secondUid).not.toBe(firstUid);
    const enrolPath = `/interaction/${secondUid}/mfa/enrol`;
    const none = await first.agent.request(enrolPath);
    expect(none.status).toBe(303);
    expect(none.headers.get('location')).toBe(`/interaction/${secondUid}`);

    // The first interaction's state copied under the second's key still names the first: refused.
    await flows().insert({ ...firstRow, interaction_uid: secondUid });
    const foreign = await first.agent.request(enrolPath);
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get('location')).toBe(`/interaction/${secondUid}`);
  }, 120_000);
});
