/**
 * The second factors a sign-in can be finished with, as objects (STYLE.md 6): each names the
 * stored factor it uses and the amr it adds, and checks a code. The sign-in flow looks the
 * factor up by the form's method and never branches on which one it is.
 */
import type { ChallengeMethod, Factor } from '../domain/factor.js';
import type { AuditContext } from './mfa-audit.js';
import type { MfaService } from './mfa-service.js';

export interface SignInFactor extends Pick<Factor<unknown, unknown, string>, 'type' | 'amr'> {
  /** Whether `check` writes its own failure audit record (recovery codes do, in their use case). */
  readonly auditsFailure: boolean;
  /** @param smsChallengeId the SMS challenge of this sign-in, if one was sent. */
  check(userId: string, code: string, smsChallengeId: string | undefined, facts: AuditContext): Promise<boolean>;
}

export type SignInFactorDeps = Pick<MfaService, 'verifyTotp' | 'useRecoveryCode' | 'verifySmsCode'>;

export function signInFactors(mfa: SignInFactorDeps): Record<ChallengeMethod, SignInFactor> {
  return {
    totp: { type: 'totp', amr: 'otp', auditsFailure: false, check: async (userId, code) => (await mfa.verifyTotp(userId, code)).ok },
    recovery: { type: 'recovery_codes', amr: 'otp', auditsFailure: true, check: (userId, code, _sms, facts) => mfa.useRecoveryCode(userId, code, facts) },
    sms: {
      type: 'sms',
      amr: 'sms',
      auditsFailure: false,
      // Only the code of the challenge sent in this sign-in counts.
      check: async (userId, code, smsChallengeId) => !!smsChallengeId && (await mfa.verifySmsCode(userId, smsChallengeId, code)).ok,
    },
  };
}
