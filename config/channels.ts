/**
 * Delivery settings (email, SMS, outbox, webhooks) from the parsed environment. Which channel is
 * used is decided here once, and so is which features that send messages are on; that production
 * refuses a feature whose channel is the log is a rule of rules/production.ts (a warning in development).
 */
import { problem, type Problem } from './problems.js';
import type { Env, SettingName } from './schema.js';

export type EmailSettings =
  | { provider: 'log' }
  | { provider: 'smtp'; from: string; url: string; requireTls: boolean }
  | { provider: 'ses'; from: string; region: string; endpoint: string | undefined; configurationSet: string | undefined };

export type SmsSettings =
  | { provider: 'log' }
  | { provider: 'twilio'; accountSid: string; authToken: string; from: string; apiBaseUrl: string; statusCallbacks: boolean }
  | { provider: 'sns'; region: string; endpoint: string | undefined; senderId: string | undefined };

export interface DeliverySettings {
  email: EmailSettings;
  sms: SmsSettings;
  /** SNS topic of SES events accepted by the SES callback; undefined: the callback is off. */
  sesEventsTopicArn: string | undefined;
  outbox: { enabled: boolean; pollSeconds: number; batchSize: number; maxAttempts: number; retryBaseSeconds: number; retryCapSeconds: number; leaseSeconds: number; retentionSeconds: number };
  webhooks: { allowedNetworks: string[]; timeoutSeconds: number };
}

/** The email channel in use: EMAIL_PROVIDER, else smtp when SMTP_URL is set; undefined: the log. */
export const emailProvider = (env: Env): Env['EMAIL_PROVIDER'] => env.EMAIL_PROVIDER ?? (env.SMTP_URL ? 'smtp' : undefined);

/** The SMS channel in use: SMS_PROVIDER, else twilio when TWILIO_ACCOUNT_SID is set; undefined: the log. */
export const smsProvider = (env: Env): Env['SMS_PROVIDER'] => env.SMS_PROVIDER ?? (env.TWILIO_ACCOUNT_SID ? 'twilio' : undefined);

/** What sends email or SMS, each on or off (config/rules/production.ts refuses one on without its channel). */
export interface ChannelFeatures {
  signup: boolean;
  passwordRecovery: boolean;
  emailVerification: boolean;
  newDeviceEmail: boolean;
  phoneVerification: boolean;
  /** SMS codes as a second factor: MFA_ENABLED and MFA_SMS_ENABLED. */
  smsCodes: boolean;
}

/**
 * Each feature as set, else on, except in production without the channel it needs: production
 * then starts with the features its channels can serve, and refuses only one switched on explicitly.
 */
export function channelFeatures(env: Env): ChannelFeatures {
  const production = env.NODE_ENV === 'production';
  const email = !production || (emailProvider(env) ?? 'log') !== 'log';
  const sms = !production || (smsProvider(env) ?? 'log') !== 'log';
  return {
    signup: env.SIGNUP_ENABLED ?? env.NODE_ENV === 'development',
    passwordRecovery: env.PASSWORD_RECOVERY_ENABLED ?? email,
    emailVerification: env.EMAIL_VERIFICATION_ENABLED ?? email,
    newDeviceEmail: env.NEW_DEVICE_EMAIL_ENABLED ?? email,
    phoneVerification: env.PHONE_VERIFICATION_ENABLED ?? sms,
    smsCodes: env.MFA_ENABLED && (env.MFA_SMS_ENABLED ?? sms),
  };
}

function requireAll(env: Env, names: SettingName[], because: string, problems: Problem[]): void {
  for (const name of names) if (env[name] === undefined) problems.push(problem(name, `${name} is required ${because}`));
}

function email(env: Env, production: boolean, problems: Problem[]): EmailSettings {
  const provider = emailProvider(env);
  if (provider === 'smtp') {
    requireAll(env, ['SMTP_URL', 'EMAIL_FROM'], 'when EMAIL_PROVIDER is smtp', problems);
    return { provider, from: env.EMAIL_FROM ?? '', url: env.SMTP_URL ?? '', requireTls: env.SMTP_REQUIRE_TLS ?? production };
  }
  if (provider === 'ses') {
    requireAll(env, ['AWS_REGION', 'EMAIL_FROM'], 'when EMAIL_PROVIDER is ses', problems);
    return { provider, from: env.EMAIL_FROM ?? '', region: env.AWS_REGION ?? '', endpoint: env.SES_ENDPOINT, configurationSet: env.SES_CONFIGURATION_SET };
  }
  return { provider: 'log' };
}

function sms(env: Env, problems: Problem[]): SmsSettings {
  const provider = smsProvider(env);
  if (provider === 'twilio') {
    requireAll(env, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'], 'when SMS_PROVIDER is twilio', problems);
    return {
      provider,
      accountSid: env.TWILIO_ACCOUNT_SID ?? '',
      authToken: env.TWILIO_AUTH_TOKEN ?? '',
      from: env.TWILIO_FROM ?? '',
      apiBaseUrl: env.TWILIO_API_BASE_URL,
      statusCallbacks: env.TWILIO_STATUS_CALLBACKS,
    };
  }
  if (provider === 'sns') {
    requireAll(env, ['AWS_REGION'], 'when SMS_PROVIDER is sns', problems);
    return { provider, region: env.AWS_REGION ?? '', endpoint: env.SNS_ENDPOINT, senderId: env.SNS_SENDER_ID };
  }
  return { provider: 'log' };
}

/** @returns the settings and every problem found (the loader reports them together with its own). */
export function readDeliverySettings(env: Env, production: boolean): { settings: DeliverySettings; problems: Problem[] } {
  const problems: Problem[] = [];
  const settings: DeliverySettings = {
    email: email(env, production, problems),
    sms: sms(env, problems),
    sesEventsTopicArn: env.SES_EVENTS_TOPIC_ARN,
    outbox: {
      enabled: env.OUTBOX_WORKER,
      pollSeconds: env.OUTBOX_POLL_INTERVAL,
      batchSize: env.OUTBOX_BATCH_SIZE,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      retryBaseSeconds: env.OUTBOX_RETRY_BASE,
      retryCapSeconds: env.OUTBOX_RETRY_CAP,
      leaseSeconds: env.OUTBOX_LEASE,
      retentionSeconds: env.OUTBOX_RETENTION,
    },
    webhooks: { allowedNetworks: env.WEBHOOK_ALLOWED_NETWORKS ?? [], timeoutSeconds: env.WEBHOOK_TIMEOUT },
  };
  return { settings, problems };
}
