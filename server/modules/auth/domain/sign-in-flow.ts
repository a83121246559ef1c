/**
 * The sign-in flow as a state machine (STYLE.md 5 and 8): after the first factor (a password, an
 * upstream OpenID Provider) a sign-in either finishes, or waits server-side in one of these
 * states until every required step is done. Each transition is a pure function that refuses to
 * run from the wrong state; the use cases (use-cases/sign-in.ts) store what they return.
 *
 *   first factor ─┬─ password due for replacement ──▶ password_change ─▶ (first factor again)
 *                 ├─ no second factor needed ──────▶ done
 *                 ├─ factor on file ───────────────▶ challenge ─(code)─▶ done
 *                 └─ none on file but required ────▶ enrolment ─(code)─▶ recovery_codes ─▶ done
 *                                                     └─(enrolled in another tab)─▶ challenge
 *
 * A state belongs to one interaction (`uid`) and expires (`expiresAt`): a state read for another
 * interaction, or after its expiry, is no state at all (`liveState`).
 */
import type { AmrValue } from './authentication-context.js';
import type { MfaDecision, MfaReason } from './mfa-policy.js';

export type SignInStep = 'password_change' | 'challenge' | 'enrolment' | 'recovery_codes';

interface PendingBase {
  /** The interaction this sign-in belongs to. */
  uid: string;
  userId: string;
  remember: boolean;
  /** The methods passed so far, in order (the amr so far). */
  methods: AmrValue[];
  /** Wrong second-factor codes entered in this sign-in. */
  attempts: number;
  /** Epoch ms after which the state is void. */
  expiresAt: number;
}

export type SignInState =
  | (PendingBase & { step: 'password_change' })
  | (PendingBase & { step: 'challenge'; reason: MfaReason; smsChallengeId?: string })
  | (PendingBase & { step: 'enrolment'; reason: MfaReason })
  | (PendingBase & { step: 'recovery_codes'; reason: MfaReason });

/** A first factor that has just succeeded. */
export interface FirstFactor {
  uid: string;
  userId: string;
  remember: boolean;
  methods: AmrValue[];
  /** Now + the flow's lifetime, epoch ms. */
  expiresAt: number;
}

/** A sign-in with every required step done: what the login is finished with. */
export interface SignInDone {
  userId: string;
  methods: AmrValue[];
  remember: boolean;
  /** The user asked to trust this device (honoured only after a second factor). */
  trust: boolean;
  /** Why no second factor was asked, for the audit record. */
  via?: string;
}

export type Transition = { kind: 'pending'; state: SignInState } | { kind: 'done'; result: SignInDone } | { kind: 'refused' };

const refused = { kind: 'refused' } as const;
const pending = (state: SignInState): Transition => ({ kind: 'pending', state });

/** The password was right but must be replaced before anything else. */
export function passwordChangeRequired(first: FirstFactor): SignInState {
  return { ...first, attempts: 0, step: 'password_change' };
}

/** password_change → the first factor again (the MFA decision comes next). */
export function passwordChanged(state: SignInState): FirstFactor | undefined {
  if (state.step !== 'password_change') return undefined;
  return { uid: state.uid, userId: state.userId, remember: state.remember, methods: state.methods, expiresAt: state.expiresAt };
}

/** The first factor with the MFA policy's decision → done, challenge or enrolment. */
export function firstFactorPassed(first: FirstFactor, decision: MfaDecision): Transition {
  if (decision.action === 'refuse') return refused;
  if (decision.action === 'none') return { kind: 'done', result: { userId: first.userId, methods: first.methods, remember: first.remember, trust: false, via: decision.reason } };
  const base = { ...first, attempts: 0, reason: decision.reason };
  return pending(decision.action === 'enrol' ? { ...base, step: 'enrolment' } : { ...base, step: 'challenge' });
}

/** An upstream that did its own MFA, trusted by FEDERATION_TRUST_UPSTREAM_MFA: done with fed+mfa. */
export function upstreamMfaPassed(first: Pick<FirstFactor, 'userId'>): SignInDone {
  return { userId: first.userId, methods: ['fed', 'mfa'], remember: false, trust: false, via: 'upstream_mfa' };
}

/** challenge: an SMS code went out; only that challenge's code is accepted from now on. */
export function smsSent(state: SignInState, challengeId: string): Transition {
  return state.step === 'challenge' ? pending({ ...state, smsChallengeId: challengeId }) : refused;
}

/** challenge or enrolment: a wrong code. */
export function codeRejected(state: SignInState): Transition {
  return state.step === 'challenge' || state.step === 'enrolment' ? pending({ ...state, attempts: state.attempts + 1 }) : refused;
}

/** challenge → done, with the factor's method added to amr. */
export function secondFactorPassed(state: SignInState, amr: AmrValue | readonly AmrValue[], trust: boolean): Transition {
  if (state.step !== 'challenge') return refused;
  return { kind: 'done', result: { userId: state.userId, methods: [...state.methods, ...(typeof amr === 'string' ? [amr] : amr)], remember: state.remember, trust } };
}

/** enrolment → recovery_codes: the first TOTP code confirmed the new authenticator. */
export function enrolmentConfirmed(state: SignInState): Transition {
  return state.step === 'enrolment' ? pending({ ...state, step: 'recovery_codes', methods: [...state.methods, 'otp'] }) : refused;
}

/** enrolment → challenge: the account got a factor meanwhile (another tab enrolled first), so it is asked for. */
export function enrolledElsewhere(state: SignInState): Transition {
  return state.step === 'enrolment' ? pending({ ...state, step: 'challenge' }) : refused;
}

/** recovery_codes → done: the user has seen the codes. */
export function recoveryCodesShown(state: SignInState, trust: boolean): Transition {
  if (state.step !== 'recovery_codes') return refused;
  return { kind: 'done', result: { userId: state.userId, methods: state.methods, remember: state.remember, trust } };
}

/** The state if it belongs to interaction `uid` and has not expired at `nowMs`; otherwise undefined. */
export function liveState(state: SignInState | undefined, uid: string, nowMs: number): SignInState | undefined {
  return state && state.uid === uid && state.expiresAt > nowMs ? state : undefined;
}
