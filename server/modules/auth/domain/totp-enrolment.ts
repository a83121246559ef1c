/**
 * TOTP enrolment as an explicit state machine (STYLE.md 5):
 *
 *   none ──begin──▶ pending ──confirm(first valid code)──▶ active
 *                     │  ▲            │
 *                     │  └─fail───────┘ (attempts + 1; after MAX the enrolment is dropped → none)
 *                     └──expire (after ENROLMENT_TTL_MS) ──▶ none
 *   pending ──begin──▶ pending (a fresh secret; the old QR code stops working)
 *   active  ──remove──▶ none
 *
 * Each transition returns the next state or a stable error id; nothing here does I/O.
 */
import type { TotpRecord } from './totp-factor.js';

/** Time to scan the code and type the first one; after that the half-made enrolment is void. */
export const ENROLMENT_TTL_MS = 15 * 60 * 1000;
/** Wrong first codes allowed before the secret is thrown away (a fresh QR code is needed). */
export const MAX_CONFIRM_ATTEMPTS = 5;

export type EnrolmentState = { status: 'none' } | TotpRecord;

export type EnrolmentError = 'already_enrolled' | 'not_started' | 'expired' | 'invalid_code' | 'too_many_attempts';

export type Transition = { ok: true; state: EnrolmentState } | { ok: false; error: EnrolmentError; state: EnrolmentState };

const NONE: EnrolmentState = { status: 'none' };

export function isExpired(state: EnrolmentState, now: number): boolean {
  return state.status === 'pending' && now - state.createdAt > ENROLMENT_TTL_MS;
}

/** none | pending → pending with a new sealed secret. */
export function beginEnrolment(state: EnrolmentState, sealedSecret: string, now: number): Transition {
  if (state.status === 'active') return { ok: false, error: 'already_enrolled', state };
  return { ok: true, state: { status: 'pending', sealedSecret, lastStep: null, createdAt: now, activatedAt: null, attempts: 0 } };
}

/**
 * pending → active when the first code matched a step (which becomes the last used step, so
 * the confirming code cannot be replayed at login).
 */
export function confirmEnrolment(state: EnrolmentState, matchedStep: number | undefined, now: number): Transition {
  if (state.status === 'none') return { ok: false, error: 'not_started', state };
  if (state.status === 'active') return { ok: false, error: 'already_enrolled', state };
  if (isExpired(state, now)) return { ok: false, error: 'expired', state: NONE };
  if (matchedStep === undefined) {
    const attempts = state.attempts + 1;
    if (attempts >= MAX_CONFIRM_ATTEMPTS) return { ok: false, error: 'too_many_attempts', state: NONE };
    return { ok: false, error: 'invalid_code', state: { ...state, attempts } };
  }
  return { ok: true, state: { ...state, status: 'active', lastStep: matchedStep, activatedAt: now, attempts: 0 } };
}

/** active | pending → none. */
export function removeEnrolment(): Transition {
  return { ok: true, state: NONE };
}
