/**
 * Password recovery as an explicit state machine. A reset is requested for an account; a link
 * with a single-use token goes to the account's email. Opening the link only checks it (mail
 * scanners open links too); choosing the new password completes it.
 *
 *   requested ──completeReset (before expiry)──▶ completed
 *   requested ──completeReset/openResetLink after expiry──▶ expired
 *   requested ──supersedeReset (a newer request)──▶ superseded
 *
 * Every state but `requested` is final. Pure: "now" is an input.
 */
export type RecoveryState = 'requested' | 'completed' | 'expired' | 'superseded';

export interface RecoveryFlow {
  id: string;
  userId: string;
  /** The email the link was sent to. */
  target: string;
  state: RecoveryState;
  createdAt: Date;
  expiresAt: Date;
  finishedAt: Date | null;
}

export type RecoveryOutcome = 'usable' | 'completed' | 'expired' | 'not_requested';

export function requestReset(input: { id: string; userId: string; target: string }, now: Date, ttlSeconds: number): RecoveryFlow {
  return { ...input, state: 'requested', createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000), finishedAt: null };
}

function gate(flow: RecoveryFlow, now: Date): { flow: RecoveryFlow; outcome: RecoveryOutcome } | undefined {
  if (flow.state !== 'requested') return { flow, outcome: 'not_requested' };
  if (now.getTime() >= flow.expiresAt.getTime()) return { flow: { ...flow, state: 'expired', finishedAt: now }, outcome: 'expired' };
  return undefined;
}

/** Whether the link may still be used; changes nothing but an overdue expiry. */
export function openResetLink(flow: RecoveryFlow, now: Date): { flow: RecoveryFlow; outcome: RecoveryOutcome } {
  return gate(flow, now) ?? { flow, outcome: 'usable' };
}

/** The new password was accepted: the link is spent. */
export function completeReset(flow: RecoveryFlow, now: Date): { flow: RecoveryFlow; outcome: RecoveryOutcome } {
  return gate(flow, now) ?? { flow: { ...flow, state: 'completed', finishedAt: now }, outcome: 'completed' };
}

export function supersedeReset(flow: RecoveryFlow, now: Date): RecoveryFlow {
  return flow.state === 'requested' ? { ...flow, state: 'superseded', finishedAt: now } : flow;
}
