/**
 * /settings: the effective configuration, read-only, secrets redacted (config/effective.ts),
 * for the console's Settings screen and operators' tools. Needs admin:read.
 */
import { z } from 'zod';
import { operation, type AdminResource } from './kit/operation.js';

export interface EffectiveSettingView {
  name: string;
  value: string | number | boolean | null;
  redacted: boolean;
}

const settingSchema = z.object({
  name: z.string().describe('Path in the loaded configuration, e.g. adminApi.tokenTtl'),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).describe('The value; "(set)" for a redacted secret'),
  redacted: z.boolean().describe('A secret: its value is never shown'),
});

export function settingsResource(settings: () => EffectiveSettingView[]): AdminResource {
  return {
    tag: { name: 'settings', description: 'The effective configuration (read-only, secrets redacted)' },
    schemas: { EffectiveSettings: z.object({ items: z.array(settingSchema) }) },
    operations: [
      operation({
        method: 'get',
        path: '/settings',
        operationId: 'getEffectiveSettings',
        summary: 'The effective configuration, secrets redacted',
        scope: 'admin:read',
        responses: { 200: { description: 'Every setting by its path in the configuration', schema: 'EffectiveSettings' } },
        handle: async () => ({ status: 200, body: { items: settings() } }),
      }),
    ],
  };
}
