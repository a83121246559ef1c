/**
 * MFA_SMS_ENABLED=false (what production does without an SMS channel): a verified phone is not
 * offered as a second factor and no SMS code is sent to it; with the switch on (the default here)
 * the same account has the SMS factor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAROL, mfaSeed } from '../../helpers/mfa.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

let off: TestProvider;
let on: TestProvider;

async function verifiedCarol(op: TestProvider): Promise<string> {
  const { users } = op.running.container;
  const carol = (await users.findByLogin(CAROL.username))!;
  await users.update(carol.id, { profile: { ...carol.profile, phone_number_verified: true } });
  return carol.id;
}

beforeAll(async () => {
  [off, on] = await Promise.all([startTestProvider({ seed: mfaSeed(), env: { MFA_SMS_ENABLED: 'false' } }), startTestProvider({ seed: mfaSeed() })]);
}, 240_000);
afterAll(async () => {
  await Promise.all([off?.stop(), on?.stop()]);
});

describe('MFA_SMS_ENABLED', () => {
  it('off: the verified phone is no factor and no code is sent', async () => {
    const id = await verifiedCarol(off);
    const { mfa } = off.running.container;
    expect((await mfa.listFactors(id)).map((f) => f.type)).not.toContain('sms');
    expect(await mfa.sendSmsCode(id, 'en')).toEqual({ ok: false, reason: 'no_verified_phone' });
  });

  it('on: the same account has the SMS factor', async () => {
    const id = await verifiedCarol(on);
    expect((await on.running.container.mfa.listFactors(id)).map((f) => f.type)).toContain('sms');
  });
});
