/** /settings: the effective configuration for admin:read, with every secret redacted. */
import { describe, expect, it } from 'vitest';
import type { AdminTestContext } from './context.js';

type Setting = { name: string; value: string | number | boolean | null; redacted: boolean };

export function settingsSuite(ctx: () => AdminTestContext) {
  describe('settings', () => {
    it('shows the effective configuration with secrets redacted; a token is needed', async () => {
      const { api, tokens, op } = ctx();
      const result = await api.call<{ items: Setting[] }>('GET', '/settings', { token: tokens.reader });
      expect(result.status).toBe(200);
      const byName = new Map(result.body.items.map((s) => [s.name, s]));
      expect(byName.get('issuer')).toEqual({ name: 'issuer', value: op.issuer, redacted: false });
      expect(byName.get('adminApi.tokenTtl')?.value).toBe(600);
      expect(byName.get('cookieKeys')).toEqual({ name: 'cookieKeys', value: '(set)', redacted: true });
      expect(byName.get('keyEncryptionKey')?.redacted).toBe(true);
      const text = JSON.stringify(result.body);
      for (const secret of [op.env.COOKIE_KEYS!, op.env.KEY_ENCRYPTION_KEY!]) expect(text).not.toContain(secret);
      if (op.env.DATABASE_URL) expect(byName.get('databaseUrl')?.value).toBe(op.env.DATABASE_URL.replace(/:[^:@/]+@/, ':***@'));
      expect((await api.call('GET', '/settings')).status).toBe(401);
    });
  });
}
