/**
 * Verifies Amazon SNS HTTP(S) messages (how SES delivery events reach us): the topic is the
 * configured one, the signing certificate comes from an SNS host over https, and the RSA
 * signature (SignatureVersion 1: SHA1, 2: SHA256) covers the fields AWS documents for the
 * message type. Certificates are cached by URL. Not verified (documented in the README):
 * replay of an old, validly signed message — SNS gives no nonce; status updates are idempotent.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
import { createVerify, X509Certificate } from 'node:crypto';

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
// A PEM certificate is a few KiB; anything larger is not what we asked for.
const MAX_CERT_BYTES = 16 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
// SNS signs with one certificate per region, rotated rarely: a handful covers any deployment,
// and the bound keeps messages naming ever new certificate URLs from growing the cache.
const MAX_CACHED_CERTIFICATES = 8;

const FIELDS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** True for an https URL on an SNS host (signing certificates, SubscribeURL). */
export function isSnsUrl(value: unknown, pathSuffix = ''): boolean {
  if (typeof value !== 'string') return false;
  const url = URL.parse(value);
  return !!url && url.protocol === 'https:' && SNS_HOST.test(url.hostname) && !url.username && url.pathname.endsWith(pathSuffix);
}

export function stringToSign(message: Record<string, unknown>): string | undefined {
  const fields = FIELDS[String(message.Type)];
  if (!fields) return undefined;
  let text = '';
  for (const field of fields) {
    const value = message[field];
    if (value === undefined && field === 'Subject') continue;
    if (typeof value !== 'string') return undefined;
    text += `${field}\n${value}\n`;
  }
  return text;
}

async function fetchCertificate(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`certificate fetch answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_CERT_BYTES) throw new Error('certificate too large');
  return text;
}

export interface SnsVerifierOptions {
  topicArn: string;
  /** Injectable for tests; default: fetch over https from the SNS host. */
  certificate?: (url: string) => Promise<string>;
}

export interface SnsMessageVerifier {
  verify(message: Record<string, unknown>): Promise<boolean>;
  /** Confirms a verified SubscriptionConfirmation by visiting its SubscribeURL (an SNS host only). */
  confirm(message: Record<string, unknown>): Promise<void>;
}

export function createSnsMessageVerifier(options: SnsVerifierOptions): SnsMessageVerifier {
  const certificates = new Map<string, Promise<string>>();
  const certificate = options.certificate ?? fetchCertificate;
  return {
    async verify(message) {
      if (message.TopicArn !== options.topicArn) return false;
      if (!isSnsUrl(message.SigningCertURL, '.pem')) return false;
      const algorithm = message.SignatureVersion === '1' ? 'RSA-SHA1' : message.SignatureVersion === '2' ? 'RSA-SHA256' : undefined;
      const text = stringToSign(message);
      if (!algorithm || !text || typeof message.Signature !== 'string') return false;
      const url = message.SigningCertURL as string;
      let pending = certificates.get(url);
      if (!pending) {
        if (certificates.size >= MAX_CACHED_CERTIFICATES) certificates.delete(certificates.keys().next().value!);
        pending = certificate(url);
        certificates.set(url, pending);
        pending.catch(() => certificates.delete(url));
      }
      try {
        const cert = new X509Certificate(await pending);
        return createVerify(algorithm).update(text, 'utf8').verify(cert.publicKey, message.Signature, 'base64');
      } catch {
        return false;
      }
    },
    async confirm(message) {
      if (!isSnsUrl(message.SubscribeURL)) throw new Error('SubscribeURL is not an SNS URL');
      const response = await fetch(message.SubscribeURL as string, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`subscription confirmation answered ${response.status}`);
    },
  };
}
