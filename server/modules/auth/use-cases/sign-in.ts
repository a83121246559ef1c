/**
 * Sign-in as a use case (STYLE.md 8): the pages hand in what the user typed and the facts of the
 * interaction, and get back an outcome saying where the sign-in goes next. Between the first
 * factor and the last step the state lives in a SignInFlowStore keyed by the interaction uid,
 * with an expiry; a state of another interaction, or an expired one, is treated as none. The
 * login is reported `done` (with `amr` and `acr`) only once every required factor passed.
 * Throttling and lockout apply to every password and code entered here.
 */
import { isAppError } from '../../../shared/errors.js';
import type { Clock } from '../../../shared/clock.js';
import type { AuditTrail } from '../../compliance/index.js';
import { authenticationContext, requestsPasskey, type AmrValue } from '../domain/authentication-context.js';
import type { ChallengeMethod, FactorSummary } from '../domain/factor.js';
import type { ClientMfaPolicy } from '../domain/mfa-policy.js';
import {
  codeRejected,
  enrolledElsewhere,
  enrolmentConfirmed,
  firstFactorPassed,
  liveState,
  passwordChanged,
  passwordChangeRequired,
  recoveryCodesShown,
  secondFactorPassed,
  smsSent,
  upstreamMfaPassed,
  type FirstFactor,
  type SignInDone,
  type SignInState,
  type SignInStep,
  type Transition,
} from '../domain/sign-in-flow.js';
import type { TrustedDevice } from '../domain/trusted-device.js';
import type { SignInFlowStore } from '../ports.js';
import type { PasswordAuthResult } from './authenticate-password.js';
import type { Lockout } from './lockout.js';
import type { LoginThrottle } from './login-throttle.js';
import type { AuditContext } from './mfa-audit.js';
import type { MfaService } from './mfa-service.js';
import type { Passkeys } from './passkeys.js';
import { signInAudit } from './sign-in-audit.js';
import { signInFactors } from './sign-in-factors.js';
import type { TotpEnrolmentStart } from './totp.js';

export interface SignInFlowDeps {
  flows: SignInFlowStore;
  authenticate(login: string, password: string): Promise<PasswordAuthResult>;
  changePassword(userId: string, password: string): Promise<void>;
  username(userId: string): Promise<string | undefined>;
  throttle: LoginThrottle;
  lockout: Lockout;
  mfa: Pick<MfaService, 'decide' | 'isTrustedDevice' | 'trustDevice' | 'listFactors' | 'verifyTotp' | 'useRecoveryCode' | 'verifySmsCode' | 'sendSmsCode' | 'currentTotpEnrolment' | 'beginTotpEnrolment' | 'confirmTotpEnrolment' | 'generateRecoveryCodes'>;
  audit: AuditTrail;
  clock: Clock;
  /** How long a sign-in may wait between steps (INTERACTION_TTL), ms. */
  ttlMs: number;
  /** Passkey ceremonies (absent: PASSKEYS_ENABLED=false). */
  passkeys?: Pick<Passkeys, 'authenticationOptions' | 'authenticate'> | undefined;
  /** Whether the account may sign in (exists, not disabled): a passkey names its account itself. */
  isActive(userId: string): Promise<boolean>;
}

/** The interaction a sign-in belongs to and the request it came in, as the pages know them. */
export interface SignInRequest extends AuditContext {
  uid: string;
  ip: string;
  clientPolicy: ClientMfaPolicy;
  acrValues: string | undefined;
  /** The browser's trusted-device cookie, if any. */
  trustedDeviceId: string | undefined;
}

export type SignInError = 'passkey_refused' | 'passkey_required' | 'invalid_credentials' | 'throttled' | 'invalid_code' | 'enrolment_expired' | 'sms_too_soon' | 'sms_unavailable' | 'password_mismatch' | 'password_rejected';

export type SignInOutcome =
  | { next: 'done'; userId: string; amr: AmrValue[]; acr: string; remember: boolean; trustedDevice?: TrustedDevice }
  | { next: 'mfa' | 'enrol' }
  | { next: 'password_change'; userId: string }
  | { next: 'recovery_codes'; codes: string[] }
  | { next: 'sms_sent'; maskedPhone: string }
  /** No live sign-in of this interaction at this step: start the interaction again. */
  | { next: 'restart' }
  | { next: 'error'; error: SignInError; retryAfter?: number; problems?: string[] };

/** What the second-factor page shows. */
export interface ChallengeView {
  userId: string;
  username: string;
  factors: FactorSummary[];
  smsSent: boolean;
  /** Only a passkey is accepted (the client asked for `phr`). */
  passkeyOnly: boolean;
}

const restart = { next: 'restart' } as const;
const error = (e: SignInError, extra: { retryAfter?: number; problems?: string[] } = {}): SignInOutcome => ({ next: 'error', error: e, ...extra });
const facts = (req: SignInRequest): AuditContext => ({ ip: req.ip, userAgent: req.userAgent, requestId: req.requestId, clientId: req.clientId });

export function createSignInFlow(deps: SignInFlowDeps) {
  const audit = signInAudit(deps.audit);
  const factors = signInFactors(deps.mfa);
  const now = () => deps.clock.now().getTime();
  const first = (req: SignInRequest, userId: string, remember: boolean, methods: AmrValue[]): FirstFactor => ({ uid: req.uid, userId, remember, methods, expiresAt: now() + deps.ttlMs });

  /** The live state of this interaction at one of `steps`, or undefined. */
  async function load(req: SignInRequest, steps: readonly SignInStep[]): Promise<SignInState | undefined> {
    const state = liveState(await deps.flows.find(req.uid), req.uid, now());
    return state && steps.includes(state.step) ? state : undefined;
  }

  async function finish(req: SignInRequest, done: SignInDone): Promise<SignInOutcome> {
    const context = authenticationContext(done.methods);
    const trustedDevice = done.trust && context.amr.includes('mfa') ? await deps.mfa.trustDevice(done.userId, req.userAgent, facts(req)) : undefined;
    await audit.signedIn(done.userId, facts(req), context, done.via);
    await deps.flows.delete(req.uid);
    return { next: 'done', userId: done.userId, amr: context.amr, acr: context.acr, remember: done.remember, ...(trustedDevice ? { trustedDevice } : {}) };
  }

  /** Stores a pending transition or finishes a done one. */
  async function apply(req: SignInRequest, transition: Transition, pendingOutcome: (state: SignInState) => SignInOutcome): Promise<SignInOutcome> {
    if (transition.kind === 'refused') return restart;
    if (transition.kind === 'done') return finish(req, transition.result);
    await deps.flows.save(transition.state);
    return pendingOutcome(transition.state);
  }

  /** After the first factor: asks the MFA policy, then finishes or waits for a second factor. */
  async function afterFirstFactor(req: SignInRequest, factor: FirstFactor): Promise<SignInOutcome> {
    const decision = await deps.mfa.decide(factor.userId, {
      clientPolicy: req.clientPolicy,
      acrValues: req.acrValues,
      trustedDevice: await deps.mfa.isTrustedDevice(factor.userId, req.trustedDeviceId),
    });
    if (decision.action !== 'none') await audit.challenged(factor.userId, facts(req), decision);
    if (decision.action === 'refuse') return error('passkey_required');
    return apply(req, firstFactorPassed(factor, decision), (state) => ({ next: state.step === 'enrolment' ? 'enrol' : 'mfa' }));
  }

  /** Throttle and backoff for a password guess under `login`. @returns seconds to wait (0: go on). */
  async function passwordWait(login: string, ip: string): Promise<number> {
    const budget = deps.throttle.check(login, ip);
    return Math.max(budget.allowed ? 0 : budget.retryAfterSeconds, await deps.lockout.passwordWait(login, ip));
  }

  async function passwordFailed(req: SignInRequest, login: string) {
    await Promise.all([deps.throttle.recordFailure(login, req.ip), deps.lockout.passwordFailed(login, req.ip, facts(req))]);
  }

  async function afterPassword(req: SignInRequest, userId: string, remember: boolean, mustChangePassword: boolean, methods: AmrValue[]): Promise<SignInOutcome> {
    const factor = first(req, userId, remember, methods);
    if (!mustChangePassword) return afterFirstFactor(req, factor);
    await deps.flows.save(passwordChangeRequired(factor));
    return { next: 'password_change', userId };
  }

  async function federated(req: SignInRequest, userId: string, upstreamMfa: boolean): Promise<SignInOutcome> {
    if (upstreamMfa) return finish(req, upstreamMfaPassed({ userId }));
    return afterFirstFactor(req, first(req, userId, false, ['fed']));
  }

  async function codeWait(state: SignInState): Promise<SignInOutcome | undefined> {
    const wait = await deps.lockout.mfaWait(state.userId);
    return wait > 0 ? error('throttled', { retryAfter: wait }) : undefined;
  }

  async function rejected(req: SignInRequest, state: SignInState): Promise<void> {
    await deps.lockout.mfaFailed(state.userId, facts(req));
    const next = codeRejected(state);
    if (next.kind === 'pending') await deps.flows.save(next.state);
  }

  return {
    /** The username-or-email and password form. */
    async submitPassword(req: SignInRequest, form: { login: string; password: string; remember: boolean }): Promise<SignInOutcome> {
      const wait = await passwordWait(form.login, req.ip);
      if (wait > 0) {
        await audit.throttled(facts(req), wait);
        return error('throttled', { retryAfter: wait });
      }
      const result = await deps.authenticate(form.login, form.password);
      if (!result.ok) {
        await passwordFailed(req, form.login);
        await audit.passwordFailed(facts(req));
        return error('invalid_credentials');
      }
      await deps.lockout.passwordSucceeded(form.login, req.ip);
      return afterPassword(req, result.userId, form.remember, result.mustChangePassword, ['pwd']);
    },

    /**
     * Linking an upstream identity to an account by its password: the same budget and backoff as
     * the password form (it is a password guess too). `confirm` checks the password and links.
     */
    async submitLinkPassword(
      req: SignInRequest,
      login: string,
      confirm: () => Promise<{ ok: true; userId: string; upstreamMfa: boolean; mustChangePassword: boolean } | { ok: false; expired: boolean }>,
    ): Promise<SignInOutcome> {
      const wait = await passwordWait(login, req.ip);
      if (wait > 0) return error('throttled', { retryAfter: wait });
      const result = await confirm();
      if (!result.ok) {
        if (result.expired) return restart;
        await passwordFailed(req, login);
        return error('invalid_credentials');
      }
      await deps.lockout.passwordSucceeded(login, req.ip);
      // Linking proved the password: a password due for replacement is replaced first.
      if (result.mustChangePassword) return afterPassword(req, result.userId, false, true, ['pwd']);
      return federated(req, result.userId, result.upstreamMfa);
    },

    /** An upstream OpenID Provider signed the user in. Its own MFA counts only when trusted (`upstreamMfa`). */
    federated,

    /** A new account's password was just chosen and its email verified (sign-up from the sign-in page): as after a password. */
    async afterNewAccount(req: SignInRequest, userId: string): Promise<SignInOutcome> {
      return afterFirstFactor(req, first(req, userId, false, ['pwd']));
    },

    /** @returns the user whose password must be replaced in this sign-in, or undefined. */
    async pendingPasswordChange(req: SignInRequest): Promise<string | undefined> {
      return (await load(req, ['password_change']))?.userId;
    },

    async changePassword(req: SignInRequest, form: { password: string; confirm: string } | undefined): Promise<SignInOutcome> {
      const state = await load(req, ['password_change']);
      const factor = state && passwordChanged(state);
      if (!factor) return restart;
      if (!form || form.password !== form.confirm) return error('password_mismatch');
      try {
        await deps.changePassword(factor.userId, form.password);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'invalid_input') throw e;
        return error('password_rejected', { problems: (e.details.fields ?? []).map((f) => f.message) });
      }
      return afterFirstFactor(req, factor);
    },

    /** What the second-factor page shows, or undefined when this interaction has no sign-in waiting for one. */
    async challenge(req: SignInRequest): Promise<ChallengeView | undefined> {
      const state = await load(req, ['challenge']);
      if (!state || state.step !== 'challenge') return undefined;
      const passkeyOnly = state.reason === 'step_up' && requestsPasskey(req.acrValues);
      const factors = (await deps.mfa.listFactors(state.userId)).filter((f) => (deps.passkeys || f.type !== 'passkey') && (!passkeyOnly || f.type === 'passkey'));
      return { userId: state.userId, username: (await deps.username(state.userId)) ?? '', factors, smsSent: !!state.smsChallengeId, passkeyOnly };
    },

    async sendSms(req: SignInRequest, locale: string): Promise<SignInOutcome> {
      const state = await load(req, ['challenge']);
      if (!state) return restart;
      const sent = await deps.mfa.sendSmsCode(state.userId, locale, facts(req));
      if (!sent.ok) return error(sent.reason === 'too_soon' ? 'sms_too_soon' : 'sms_unavailable');
      return apply(req, smsSent(state, sent.challengeId), () => ({ next: 'sms_sent', maskedPhone: sent.maskedPhone }));
    },

    /** A second-factor code. `form` undefined: the form did not parse (a failed attempt of `method`). */
    async submitSecondFactor(req: SignInRequest, method: ChallengeMethod, form: { code: string; trust: boolean } | undefined): Promise<SignInOutcome> {
      const state = await load(req, ['challenge']);
      if (!state || state.step !== 'challenge') return restart;
      const waiting = await codeWait(state);
      if (waiting) return waiting;
      if (state.step === 'challenge' && state.reason === 'step_up' && requestsPasskey(req.acrValues)) return error('passkey_required');
      const factor = factors[method];
      if (!form || !(await factor.check(state.userId, form.code, state.smsChallengeId, facts(req)))) {
        await rejected(req, state);
        if (!factor.auditsFailure) await audit.factorFailed(state.userId, facts(req), method);
        return error('invalid_code');
      }
      await deps.lockout.mfaSucceeded(state.userId);
      await audit.factorPassed(state.userId, facts(req), method);
      return apply(req, secondFactorPassed(state, factor.amr, form.trust), () => restart);
    },

    /**
     * The TOTP enrolment of this sign-in (the pending one again after a wrong first code).
     * @returns undefined when no sign-in of this interaction is enrolling; `enrolled` when another tab finished it.
     */
    async enrolment(req: SignInRequest): Promise<TotpEnrolmentStart | 'enrolled' | undefined> {
      const state = await load(req, ['enrolment']);
      if (!state) return undefined;
      const name = (await deps.username(state.userId)) ?? state.userId;
      const start = (await deps.mfa.currentTotpEnrolment(state.userId, name)) ?? (await deps.mfa.beginTotpEnrolment(state.userId, name));
      if (!('error' in start)) return start;
      const next = enrolledElsewhere(state);
      if (next.kind === 'pending') await deps.flows.save(next.state);
      return 'enrolled';
    },

    /** The first code of the new authenticator. `code` undefined: the form did not parse. */
    async confirmEnrolment(req: SignInRequest, code: string | undefined): Promise<SignInOutcome> {
      const state = await load(req, ['enrolment']);
      if (!state) return restart;
      const waiting = await codeWait(state);
      if (waiting) return waiting;
      const result = code === undefined ? { ok: false as const, error: 'invalid_code' as const } : await deps.mfa.confirmTotpEnrolment(state.userId, code, facts(req));
      if (!result.ok) {
        await rejected(req, state);
        const restarted = result.error === 'expired' || result.error === 'too_many_attempts' || result.error === 'not_started';
        return error(restarted ? 'enrolment_expired' : 'invalid_code');
      }
      await deps.lockout.mfaSucceeded(state.userId);
      const codes = await deps.mfa.generateRecoveryCodes(state.userId, facts(req));
      return apply(req, enrolmentConfirmed(state), () => ({ next: 'recovery_codes', codes }));
    },

    /**
     * Options for a passkey ceremony of this interaction: `login` for anyone (usernameless,
     * conditional UI), `mfa` for the account waiting for its second factor. undefined: none may run.
     */
    async passkeyOptions(req: SignInRequest, purpose: 'login' | 'mfa'): Promise<Record<string, unknown> | undefined> {
      if (!deps.passkeys) return undefined;
      if (purpose === 'login') return deps.passkeys.authenticationOptions(`${req.uid}:login`);
      const state = await load(req, ['challenge']);
      return state ? deps.passkeys.authenticationOptions(`${req.uid}:mfa`, state.userId) : undefined;
    },

    /**
     * A passkey as the first factor (usernameless): a verified passkey with user verification is
     * multi-factor and phishing-resistant on its own, so the sign-in finishes here.
     * Refused assertions back off the IP like wrong passwords.
     */
    async submitPasskey(req: SignInRequest, response: unknown, remember: boolean): Promise<SignInOutcome> {
      if (!deps.passkeys) return restart;
      const wait = await deps.lockout.passkeyWait(req.ip);
      if (wait > 0) {
        await audit.throttled(facts(req), wait);
        return error('throttled', { retryAfter: wait });
      }
      const result = await deps.passkeys.authenticate(`${req.uid}:login`, response, facts(req));
      if (!result.ok || !(await deps.isActive(result.userId))) {
        await deps.lockout.passkeyFailed(req.ip, facts(req));
        return error('passkey_refused');
      }
      return finish(req, { userId: result.userId, methods: result.amr, remember, trust: false, via: 'passkey' });
    },

    /** A passkey as the second factor after a password (security key). */
    async submitSecondFactorPasskey(req: SignInRequest, response: unknown, trust: boolean): Promise<SignInOutcome> {
      const state = await load(req, ['challenge']);
      if (!state || state.step !== 'challenge' || !deps.passkeys) return restart;
      const waiting = await codeWait(state);
      if (waiting) return waiting;
      const result = await deps.passkeys.authenticate(`${req.uid}:mfa`, response, facts(req));
      if (!result.ok || result.userId !== state.userId) {
        await rejected(req, state);
        await audit.factorFailed(state.userId, facts(req), 'passkey');
        return error('passkey_refused');
      }
      await deps.lockout.mfaSucceeded(state.userId);
      await audit.factorPassed(state.userId, facts(req), 'passkey');
      return apply(req, secondFactorPassed(state, result.amr, trust), () => restart);
    },

    /** The user has seen the recovery codes: the login finishes. */
    async finishEnrolment(req: SignInRequest, trust: boolean): Promise<SignInOutcome> {
      const state = await load(req, ['recovery_codes']);
      if (!state) return restart;
      return apply(req, recoveryCodesShown(state, trust), () => restart);
    },
  };
}

export type SignInFlow = ReturnType<typeof createSignInFlow>;
