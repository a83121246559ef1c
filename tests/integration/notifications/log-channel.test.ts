/**
 * Development without a channel configured: the outbox still takes the intent, and the worker
 * prints the rendered message to the log so a developer can follow the link or read the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider({ seed: false, env: { OUTBOX_POLL_INTERVAL: '1' } });
});
afterAll(async () => {
  await provider?.stop();
});

async function logLine(fragment: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const line = provider.logs.find((l) => l.includes(fragment));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`no log line with ${fragment}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('log channel (development, nothing configured)', () => {
  it('prints the rendered email and SMS, link and code included', async () => {
    const { notifier } = provider.running.container;
    await notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'de', to: 'dev@example.com', data: { link: 'http://localhost:3000/verify?t=abc&u=1', expiresInMinutes: '15' } });
    await notifier.enqueue({ channel: 'sms', template: 'mfa-code', locale: 'en', to: '+15005550006', data: { code: '765432', expiresInMinutes: '5' } });
    const email = (await logLine('email (printed: no EMAIL_PROVIDER configured)')).email as { to: string; subject: string; text: string };
    expect(email.to).toBe('dev@example.com');
    expect(email.subject).toContain('Bestätigen');
    expect(email.text).toContain('http://localhost:3000/verify?t=abc&u=1');
    const sms = (await logLine('SMS (printed: no SMS_PROVIDER configured)')).sms as { body: string };
    expect(sms.body).toContain('765432');
    const row = await provider.running.container.database.knex('outbox_messages').where({ kind: 'email' }).first('status', 'provider');
    expect(row).toEqual({ status: 'delivered', provider: 'log' });
  });
});
