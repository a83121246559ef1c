/**
 * Settings that must change before production: production refuses them, naming the variable;
 * development and test start anyway and warn, naming what to set (oidc-provider's `mustChange`).
 * One list serves both, so a refusal always has its early warning.
 */
import { channelFeatures, emailProvider, smsProvider, type ChannelFeatures } from '../channels.js';
import { problem, type Problem } from '../problems.js';
import type { Env } from '../schema.js';

interface MustChange {
  readonly variables: readonly string[];
  applies(env: Env): boolean;
  /** Why production refuses it. */
  readonly refusal: string | ((env: Env) => string);
  /** Outside production: what it is now and what to set. */
  warning(env: Env): string;
}

/** As the loader derives it: explicit, else on in development only. */
const demoClientsOn = (env: Env): boolean => env.DEMO_CLIENTS ?? env.NODE_ENV === 'development';

interface ChannelFeature {
  feature: keyof ChannelFeatures;
  variable: string;
  name: string;
}

/** Features that send email: each needs a real email channel in production, only while it is on. */
const emailFeatures: ChannelFeature[] = [
  { feature: 'signup', variable: 'SIGNUP_ENABLED', name: 'Sign-up' },
  { feature: 'passwordRecovery', variable: 'PASSWORD_RECOVERY_ENABLED', name: 'Password recovery' },
  { feature: 'emailVerification', variable: 'EMAIL_VERIFICATION_ENABLED', name: 'Email verification' },
  { feature: 'newDeviceEmail', variable: 'NEW_DEVICE_EMAIL_ENABLED', name: 'New-device email' },
];

/** Features that send SMS. */
const smsFeatures: ChannelFeature[] = [
  { feature: 'smsCodes', variable: 'MFA_SMS_ENABLED', name: 'SMS sign-in codes' },
  { feature: 'phoneVerification', variable: 'PHONE_VERIFICATION_ENABLED', name: 'Phone verification' },
];

const channels = {
  email: { variables: ['EMAIL_PROVIDER', 'SMTP_URL'], what: 'emails', fix: 'EMAIL_PROVIDER must be smtp or ses (set SMTP_URL or EMAIL_PROVIDER=ses)', set: 'set SMTP_URL or EMAIL_PROVIDER=ses' },
  sms: { variables: ['SMS_PROVIDER', 'TWILIO_ACCOUNT_SID'], what: 'SMS', fix: 'SMS_PROVIDER must be twilio or sns (set TWILIO_ACCOUNT_SID or SMS_PROVIDER=sns)', set: 'set TWILIO_ACCOUNT_SID or SMS_PROVIDER=sns' },
} as const;

const listed = (features: ChannelFeature[]): string => features.map((f) => `${f.name} (${f.variable})`).join(', ');

/** The log channel is refused in production only while a feature that sends through it is on; the refusal names them. */
function channelRule(channel: keyof typeof channels, features: ChannelFeature[], isLog: (env: Env) => boolean): MustChange {
  const { variables, what, fix, set } = channels[channel];
  const on = (env: Env) => features.filter((f) => channelFeatures(env)[f.feature]);
  return {
    variables: [...variables, ...features.map((f) => f.variable)],
    applies: (env) => isLog(env) && on(env).length > 0,
    refusal: (env) => `${fix} in production while ${listed(on(env))} ${on(env).length > 1 ? 'are' : 'is'} on; or turn ${on(env).length > 1 ? 'them' : 'it'} off (${on(env).map((f) => `${f.variable}=false`).join(', ')})`,
    warning: (env) => `${channels[channel].variables[0]} is log, so the ${what} of ${listed(on(env))} are printed, not sent; ${set}`,
  };
}

const rules: MustChange[] = [
  {
    variables: ['ISSUER'],
    applies: (env) => !env.ISSUER,
    refusal: 'ISSUER is required in production (the public https URL of this provider)',
    warning: (env) => `ISSUER is unset, so the issuer is http://localhost:${env.PORT}; set ISSUER to the public https URL of this provider`,
  },
  {
    variables: ['ISSUER'],
    applies: (env) => env.ISSUER !== undefined && new URL(env.ISSUER).protocol !== 'https:',
    refusal: 'ISSUER must be an https URL in production',
    warning: () => 'ISSUER is an http URL; set ISSUER to the public https URL of this provider',
  },
  {
    variables: ['TRUST_PROXY'],
    applies: (env) => !env.TRUST_PROXY,
    refusal: 'TRUST_PROXY must be true in production: TLS is terminated by a reverse proxy in front of this process',
    warning: () => 'TRUST_PROXY is false; set TRUST_PROXY=true behind the TLS-terminating reverse proxy',
  },
  {
    variables: ['COOKIE_KEYS'],
    applies: (env) => !env.COOKIE_KEYS,
    refusal: 'COOKIE_KEYS is required in production',
    warning: () => 'COOKIE_KEYS is unset, so development keys kept in DATA_DIR sign cookies; set COOKIE_KEYS to keys of at least 32 random characters',
  },
  {
    variables: ['KEY_ENCRYPTION_KEY'],
    applies: (env) => !env.KEY_ENCRYPTION_KEY,
    refusal: 'KEY_ENCRYPTION_KEY is required in production',
    warning: () => 'KEY_ENCRYPTION_KEY is unset, so a development key kept in DATA_DIR seals keys and secrets; set KEY_ENCRYPTION_KEY to 32 random bytes in base64url',
  },
  {
    variables: ['DATABASE_URL'],
    applies: (env) => !env.DATABASE_URL,
    refusal: 'DATABASE_URL is required in production: the embedded database is for development only',
    warning: (env) => `DATABASE_URL is unset, so the embedded database in ${env.DATA_DIR} is used; set DATABASE_URL to a Postgres connection string`,
  },
  {
    variables: ['DEMO_CLIENTS'],
    applies: demoClientsOn,
    refusal: 'DEMO_CLIENTS must not be true in production',
    warning: () => 'DEMO_CLIENTS is on, so clients with published secrets are created; set DEMO_CLIENTS=false',
  },
  {
    variables: ['METRICS_TOKEN', 'METRICS_ENABLED'],
    applies: (env) => env.METRICS_ENABLED && !env.METRICS_TOKEN,
    refusal: 'METRICS_TOKEN is required in production when METRICS_ENABLED is true: /metrics must not be served unauthenticated',
    warning: () => 'METRICS_TOKEN is unset while METRICS_ENABLED is true, so /metrics is served unauthenticated; set METRICS_TOKEN (at least 32 characters)',
  },
  channelRule('email', emailFeatures, (env) => (emailProvider(env) ?? 'log') === 'log'),
  channelRule('sms', smsFeatures, (env) => (smsProvider(env) ?? 'log') === 'log'),
  {
    variables: ['FEDERATION_ALLOW_HTTP_ISSUERS'],
    applies: (env) => env.FEDERATION_ALLOW_HTTP_ISSUERS,
    refusal: 'FEDERATION_ALLOW_HTTP_ISSUERS must not be true in production: upstream issuers must be https',
    warning: () => 'FEDERATION_ALLOW_HTTP_ISSUERS is true, so upstream issuers may be http; set FEDERATION_ALLOW_HTTP_ISSUERS=false and use https issuers',
  },
  {
    // Explicitly false only: unset, production requires the second factor (config/loader.ts).
    variables: ['CONSOLE_MFA_REQUIRED', 'CONSOLE_MFA_OPTIONAL_IN_PRODUCTION'],
    applies: consoleWithoutMfa,
    refusal:
      'CONSOLE_MFA_REQUIRED=false is refused in production: administrators would sign in to the console with a password alone; unset it (the console then requires a second factor), turn the console off (CONSOLE_ENABLED=false), or acknowledge the risk with CONSOLE_MFA_OPTIONAL_IN_PRODUCTION=true',
    warning: () => 'CONSOLE_MFA_REQUIRED is false, so administrators sign in to the console without a second factor; unset it or set CONSOLE_MFA_REQUIRED=true',
  },
];

function consoleWithoutMfa(env: Env): boolean {
  return env.CONSOLE_ENABLED && env.CONSOLE_MFA_REQUIRED === false && !env.CONSOLE_MFA_OPTIONAL_IN_PRODUCTION;
}

/**
 * Risks production accepts only when acknowledged by a second variable: each start warns, naming
 * both, so the choice stays visible in the logs rather than living on in a forgotten env file.
 */
function acknowledgedRisks(env: Env): string[] {
  const risks: string[] = [];
  if (env.CONSOLE_ENABLED && env.CONSOLE_MFA_REQUIRED === false && env.CONSOLE_MFA_OPTIONAL_IN_PRODUCTION) {
    risks.push('CONSOLE_MFA_REQUIRED is false in production (acknowledged by CONSOLE_MFA_OPTIONAL_IN_PRODUCTION=true): administrators sign in to the console without a second factor; unset both to require one.');
  }
  return risks;
}

/** In production, the refusals and the acknowledged risks; elsewhere, the warnings ("… before production"). */
export function mustChange(env: Env): { problems: Problem[]; warnings: string[] } {
  const applying = rules.filter((rule) => rule.applies(env));
  if (env.NODE_ENV === 'production') {
    return { problems: applying.map((rule) => problem(rule.variables, typeof rule.refusal === 'string' ? rule.refusal : rule.refusal(env))), warnings: acknowledgedRisks(env) };
  }
  return { problems: [], warnings: applying.map((rule) => `${rule.warning(env)} before production (refused there).`) };
}
