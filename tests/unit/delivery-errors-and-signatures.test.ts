/** What a delivery log may keep of an error, and our webhook signature against the standardwebhooks reference. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../adapters/webhooks/http-sender.js';
import { sanitizeError } from '../../server/modules/notifications/index.js';

describe('sanitizeError', () => {
  it('removes addresses, phone numbers, link paths and long tokens', () => {
    const text = sanitizeError('550 5.1.1 <erika@example.com>: unknown; to +49 151 1234 5678 for https://id.example.com/verify?token=abc link eyJhbGciOiJSUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0x');
    expect(text).not.toMatch(/erika|1234 5678|token=abc|eyJhbGci/);
    expect(text).toContain('550 5.1.1');
    expect(text).toContain('https://id.example.com/…');
  });

  it('is one bounded line', () => {
    const text = sanitizeError(`a\r\nb\n${'x '.repeat(1000)}`);
    expect(text).not.toMatch(/[\r\n]/);
    expect(text.length).toBeLessThanOrEqual(300);
  });
});

describe('signWebhook', () => {
  it('produces the header the standardwebhooks reference implementation produces and verifies', () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = JSON.stringify({ type: 'auth.lockout', timestamp: '2026-11-28T00:00:00.000Z', data: { n: 1 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook(secret, 'msg_1', timestamp, body);
    expect(signature).toBe(new Webhook(secret).sign('msg_1', new Date(timestamp * 1000), body));
    expect(new Webhook(secret).verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature })).toEqual(JSON.parse(body));
  });
});
