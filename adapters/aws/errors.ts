/** Which AWS SDK v3 errors are worth another attempt: throttling, faults on AWS's side, network trouble. */

const TRANSIENT_NAMES = /Throttl|TooManyRequests|LimitExceeded|SendingPaused|ServiceUnavailable|InternalFailure|RequestTimeout|TimeoutError/;

export function isRetryableAwsError(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.$retryable || e.$fault === 'server') return true;
  if (status === undefined) return true;
  return status === 429 || status >= 500 || TRANSIENT_NAMES.test(e.name ?? '');
}
