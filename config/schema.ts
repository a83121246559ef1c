/**
 * Every setting the provider reads, declared once, in one zod object per section
 * (config/settings/*.ts): its variable, its type, its default and what it means. `.env.example`
 * and the table in docs/configuration.md are generated from this list (`npm run docs:config`) and a unit test
 * fails when they drift.
 */
import { z } from 'zod';
import { audit } from './settings/audit.js';
import { bootstrap } from './settings/bootstrap.js';
import { branding } from './settings/branding.js';
import { clients } from './settings/clients.js';
import { email } from './settings/email.js';
import { federation } from './settings/federation.js';
import { highSecurity } from './settings/high-security.js';
import { keys } from './settings/keys.js';
import { outbox } from './settings/outbox.js';
import { selfService } from './settings/self-service.js';
import { server } from './settings/server.js';
import { signIn } from './settings/sign-in.js';
import { passkeys } from './settings/passkeys.js';
import { sms } from './settings/sms.js';
import { storage } from './settings/storage.js';
import { telemetry } from './settings/telemetry.js';
import { metaOf, type SettingMeta } from './settings/setting.js';
import { tokens } from './settings/tokens.js';
import { grants } from './settings/grants.js';

/** The sections in documentation order, each with its heading. */
export const sections = [
  { title: 'Server', schema: server },
  { title: 'Storage', schema: storage },
  { title: 'Keys and secrets', schema: keys },
  { title: 'Start-up data', schema: bootstrap },
  { title: 'Tokens and claims', schema: tokens },
  { title: 'Device sign-in and token exchange', schema: grants },
  { title: 'Clients and the admin API', schema: clients },
  { title: 'High-security clients', schema: highSecurity },
  { title: 'Sign-in and MFA', schema: signIn },
  { title: 'Passkeys', schema: passkeys },
  { title: 'Self-service', schema: selfService },
  { title: 'Branding', schema: branding },
  { title: 'Audit', schema: audit },
  { title: 'Email', schema: email },
  { title: 'SMS', schema: sms },
  { title: 'Outbox and webhooks', schema: outbox },
  { title: 'Federation', schema: federation },
  { title: 'Tracing', schema: telemetry },
] as const;

/** The whole environment as one object: what the loader parses. */
export const envSchema = z.object({
  ...server.shape,
  ...storage.shape,
  ...keys.shape,
  ...bootstrap.shape,
  ...tokens.shape,
  ...grants.shape,
  ...clients.shape,
  ...highSecurity.shape,
  ...signIn.shape,
  ...passkeys.shape,
  ...selfService.shape,
  ...branding.shape,
  ...audit.shape,
  ...email.shape,
  ...sms.shape,
  ...outbox.shape,
  ...federation.shape,
  ...telemetry.shape,
});

/** The parsed environment: defaults applied, every value of its declared type. */
export type Env = z.output<typeof envSchema>;
export type SettingName = keyof Env;

export interface DocumentedSetting extends SettingMeta {
  readonly name: string;
  readonly section: string;
}

/** Every setting with its metadata, in documentation order. */
export const settingList: readonly DocumentedSetting[] = sections.flatMap(({ title, schema }) =>
  Object.entries(schema.shape).map(([name, setting]) => ({ name, section: title, ...metaOf(name, setting) })),
);

export const settingNames: ReadonlySet<string> = new Set(settingList.map((s) => s.name));

/** The documented default text of a setting (undefined: none). */
export function defaultOf(name: SettingName): string | undefined {
  return settingList.find((s) => s.name === name)?.default;
}
