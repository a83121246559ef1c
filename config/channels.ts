/**
 * Delivery settings (email, SMS, outbox, webhooks) read from the validated environment. Which
 * channel is used is decided here once: in development an unconfigured channel prints to the
 * log; in production it refuses to start, naming the variable.
 */

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

type Raw = Record<string, unknown>;

const str = (raw: Raw, name: string) => raw[name] as string | undefined;

function requireAll(raw: Raw, names: string[], because: string, problems: string[]): void {
  for (const name of names) if (raw[name] === undefined) problems.push(`${name} is required ${because}`);
}

function email(raw: Raw, production: boolean, problems: string[]): EmailSettings {
  const provider = (str(raw, 'EMAIL_PROVIDER') ?? (raw.SMTP_URL ? 'smtp' : undefined)) as EmailSettings['provider'] | undefined;
  if (production && (!provider || provider === 'log')) {
    problems.push('EMAIL_PROVIDER must be smtp or ses in production (set SMTP_URL or EMAIL_PROVIDER=ses): printing messages to the log is for development');
  }
  if (provider === 'smtp') {
    requireAll(raw, ['SMTP_URL', 'EMAIL_FROM'], 'when EMAIL_PROVIDER is smtp', problems);
    return { provider, from: str(raw, 'EMAIL_FROM') ?? '', url: str(raw, 'SMTP_URL') ?? '', requireTls: production };
  }
  if (provider === 'ses') {
    requireAll(raw, ['AWS_REGION', 'EMAIL_FROM'], 'when EMAIL_PROVIDER is ses', problems);
    return { provider, from: str(raw, 'EMAIL_FROM') ?? '', region: str(raw, 'AWS_REGION') ?? '', endpoint: str(raw, 'SES_ENDPOINT'), configurationSet: str(raw, 'SES_CONFIGURATION_SET') };
  }
  return { provider: 'log' };
}

function sms(raw: Raw, production: boolean, problems: string[]): SmsSettings {
  const provider = (str(raw, 'SMS_PROVIDER') ?? (raw.TWILIO_ACCOUNT_SID ? 'twilio' : undefined)) as SmsSettings['provider'] | undefined;
  if (production && (!provider || provider === 'log')) {
    problems.push('SMS_PROVIDER must be twilio or sns in production (set TWILIO_ACCOUNT_SID or SMS_PROVIDER=sns): printing messages to the log is for development');
  }
  if (provider === 'twilio') {
    requireAll(raw, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'], 'when SMS_PROVIDER is twilio', problems);
    return {
      provider,
      accountSid: str(raw, 'TWILIO_ACCOUNT_SID') ?? '',
      authToken: str(raw, 'TWILIO_AUTH_TOKEN') ?? '',
      from: str(raw, 'TWILIO_FROM') ?? '',
      apiBaseUrl: str(raw, 'TWILIO_API_BASE_URL') ?? 'https://api.twilio.com',
      statusCallbacks: raw.TWILIO_STATUS_CALLBACKS as boolean,
    };
  }
  if (provider === 'sns') {
    requireAll(raw, ['AWS_REGION'], 'when SMS_PROVIDER is sns', problems);
    return { provider, region: str(raw, 'AWS_REGION') ?? '', endpoint: str(raw, 'SNS_ENDPOINT'), senderId: str(raw, 'SNS_SENDER_ID') };
  }
  return { provider: 'log' };
}

/** @returns the settings and every problem found (the loader throws them together with its own). */
export function readDeliverySettings(raw: Raw, production: boolean): { settings: DeliverySettings; problems: string[] } {
  const problems: string[] = [];
  const settings: DeliverySettings = {
    email: email(raw, production, problems),
    sms: sms(raw, production, problems),
    sesEventsTopicArn: str(raw, 'SES_EVENTS_TOPIC_ARN'),
    outbox: {
      enabled: raw.OUTBOX_WORKER as boolean,
      pollSeconds: raw.OUTBOX_POLL_INTERVAL as number,
      batchSize: raw.OUTBOX_BATCH_SIZE as number,
      maxAttempts: raw.OUTBOX_MAX_ATTEMPTS as number,
      retryBaseSeconds: raw.OUTBOX_RETRY_BASE as number,
      retryCapSeconds: raw.OUTBOX_RETRY_CAP as number,
      leaseSeconds: raw.OUTBOX_LEASE as number,
      retentionSeconds: raw.OUTBOX_RETENTION as number,
    },
    webhooks: { allowedNetworks: (raw.WEBHOOK_ALLOWED_NETWORKS as string[] | undefined) ?? [], timeoutSeconds: raw.WEBHOOK_TIMEOUT as number },
  };
  if (settings.outbox.retryCapSeconds < settings.outbox.retryBaseSeconds) problems.push('OUTBOX_RETRY_CAP must not be shorter than OUTBOX_RETRY_BASE');
  return { settings, problems };
}
