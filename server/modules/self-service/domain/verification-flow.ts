/**
 * Verification of an address the user claims (an email at registration, a new email, a phone
 * number) as an explicit state machine. A flow carries two secrets sent to the address: a link
 * token (long, for clicking) and a short code (for typing); presenting either proves control.
 *
 *   pending ──presentLink/presentCode(match)──▶ verified
 *   pending ──presentCode(no match) × MAX────▶ locked      (each miss counts; the last one locks)
 *   pending ──any presentation after expiry──▶ expired
 *   pending ──supersede (a newer flow)───────▶ superseded
 *
 * Every state but `pending` is final: a secret works once, and never after its flow ended.
 * Pure: "now" and whether a secret matched are inputs.
 */
export type VerificationKind = 'verify_email' | 'verify_phone' | 'change_email';
export type VerificationState = 'pending' | 'verified' | 'locked' | 'expired' | 'superseded';

/** Wrong codes allowed per flow: with 6-digit codes, a guesser's odds stay at 5 in a million. */
export const MAX_CODE_ATTEMPTS = 5;

export interface VerificationFlow {
  id: string;
  kind: VerificationKind;
  userId: string | null;
  /** The address being verified: an email or an E.164 phone number. */
  target: string;
  state: VerificationState;
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
  finishedAt: Date | null;
}

export type VerificationOutcome = 'verified' | 'wrong_code' | 'locked' | 'expired' | 'not_pending';

export interface VerificationStep {
  flow: VerificationFlow;
  outcome: VerificationOutcome;
}

export function startVerification(
  input: { id: string; kind: VerificationKind; userId: string | null; target: string },
  now: Date,
  ttlSeconds: number,
): VerificationFlow {
  return { ...input, state: 'pending', attempts: 0, createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000), finishedAt: null };
}

function gate(flow: VerificationFlow, now: Date): VerificationStep | undefined {
  if (flow.state !== 'pending') return { flow, outcome: 'not_pending' };
  if (now.getTime() >= flow.expiresAt.getTime()) return { flow: { ...flow, state: 'expired', finishedAt: now }, outcome: 'expired' };
  return undefined;
}

/** The link was opened: a token is long and random, so a mismatch is not counted as a guess (it never finds a flow). */
export function presentLink(flow: VerificationFlow, now: Date): VerificationStep {
  return gate(flow, now) ?? { flow: { ...flow, state: 'verified', finishedAt: now }, outcome: 'verified' };
}

/** A code was typed; `matches` says whether it was this flow's code. */
export function presentCode(flow: VerificationFlow, matches: boolean, now: Date): VerificationStep {
  const ended = gate(flow, now);
  if (ended) return ended;
  if (matches) return { flow: { ...flow, state: 'verified', finishedAt: now }, outcome: 'verified' };
  const attempts = flow.attempts + 1;
  if (attempts >= MAX_CODE_ATTEMPTS) return { flow: { ...flow, attempts, state: 'locked', finishedAt: now }, outcome: 'locked' };
  return { flow: { ...flow, attempts }, outcome: 'wrong_code' };
}

/** A newer flow for the same user and kind replaces this one. */
export function supersedeVerification(flow: VerificationFlow, now: Date): VerificationFlow {
  return flow.state === 'pending' ? { ...flow, state: 'superseded', finishedAt: now } : flow;
}
