/**
 * Test support for second factors: TOTP codes computed with otplib as an authenticator app
 * would (never reusing a time step, as the server refuses that), SMS codes read from the
 * messages the notifier received (today's notifier logs each message intent), and a seed with
 * clients of each MFA policy.
 */
import { generate } from 'otplib';
import { defaultSeed } from './provider.js';

const PERIOD = 30;
const lastStep = new Map<string, number>();

/** A code for a time step within the server's ±1 drift window that was not used yet; waits for the next step if needed. */
export async function nextTotp(secret: string): Promise<string> {
  const plain = secret.replace(/\s/g, '');
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / PERIOD);
    const used = lastStep.get(plain) ?? -Infinity;
    // Stay off the edge of the window: now and now+1 only, so a slow request still lands inside it.
    const step = [now, now + 1].find((s) => s > used);
    if (step !== undefined) {
      lastStep.set(plain, step);
      return generate({ secret: plain, epoch: step * PERIOD });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Marks every step up to now+1 as used (after the server accepted a code the test did not make). */
export function forgetTotpSteps(secret: string): void {
  lastStep.set(secret.replace(/\s/g, ''), Math.floor(Date.now() / 1000 / PERIOD) + 1);
}

/** The code of the last `mfa-sms-code` message to `phone` found in the provider's log lines. */
export function smsCodeFrom(logs: string[], phone: string): string | undefined {
  for (const line of [...logs].reverse()) {
    if (!line.includes('mfa-sms-code')) continue;
    const entry = JSON.parse(line) as { message?: { template?: string; to?: string; data?: { code?: string } } };
    if (entry.message?.template === 'mfa-sms-code' && entry.message.to === phone) return entry.message.data?.code;
  }
  return undefined;
}

export function countSms(logs: string[]): number {
  return logs.filter((line) => line.includes('"template":"mfa-sms-code"')).length;
}

export const MFA_CLIENT = { client_id: 'mfa-app', client_secret: 'mfa-app-secret-that-is-long-enough-1234567890', redirect_uri: 'http://127.0.0.1:9998/cb' };
export const BOB = { username: 'bob', email: 'bob@example.com', password: 'bob has a long passphrase too' };
export const CAROL = { username: 'carol', email: 'carol@example.com', password: 'carol likes long passphrases', phone: '+4915112345678' };

/** The default seed plus a client with `mfa_policy: required` and two more users. */
export function mfaSeed(): Record<string, unknown> {
  const seed = defaultSeed() as { clients: Array<Record<string, unknown>>; users: Array<Record<string, unknown>> };
  seed.clients.push({
    client_id: MFA_CLIENT.client_id,
    client_name: 'Bank App',
    client_secret: MFA_CLIENT.client_secret,
    redirect_uris: [MFA_CLIENT.redirect_uri],
    grant_types: ['authorization_code'],
    scope: 'openid profile email',
    mfa_policy: 'required',
  });
  seed.users.push(
    { username: BOB.username, email: BOB.email, email_verified: true, password: BOB.password },
    { username: CAROL.username, email: CAROL.email, email_verified: true, password: CAROL.password, profile: { phone_number: CAROL.phone } },
  );
  return seed;
}
