/**
 * The application error taxonomy. Each error has a stable code (also the message id for
 * translation), an HTTP status, and is exposed to clients only below 500. Protocol paths throw
 * oidc-provider's own errors instead; JSON APIs render these as RFC 9457 problem+json.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_credentials'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'rate_limited'
  | 'csrf_failed'
  | 'unreadable_form'
  | 'form_too_large'
  | 'unsupported_form'
  | 'interaction_expired'
  | 'invalid_seed'
  | 'unavailable'
  | 'internal'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'precondition_failed'
  | 'precondition_required';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_credentials: 401,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  // A form body we cannot read (server/http/browser/form-body.ts): RFC 9110 §15.5.1, §15.5.14, §15.5.16.
  unreadable_form: 400,
  form_too_large: 413,
  unsupported_form: 415,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  interaction_expired: 410,
  rate_limited: 429,
  invalid_seed: 500,
  unavailable: 503,
  internal: 500,
  // RFC 6750 §3.1 bearer token errors; RFC 9110 §13.1.1 / RFC 6585 §3 conditional requests.
  invalid_token: 401,
  insufficient_scope: 403,
  precondition_failed: 412,
  precondition_required: 428,
};

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly expose: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: FieldProblem[]; retryAfterSeconds?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = STATUS[code];
    this.expose = this.status < 500;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
