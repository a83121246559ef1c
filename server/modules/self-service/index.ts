/** The self-service module's public face: sign-up, verification, recovery, account changes, device notices. */
export { MAX_CODE_ATTEMPTS, presentCode, presentLink, startVerification, supersedeVerification } from './domain/verification-flow.js';
export type { VerificationFlow, VerificationKind, VerificationOutcome, VerificationState } from './domain/verification-flow.js';
export { completeReset, openResetLink, requestReset, supersedeReset, type RecoveryFlow, type RecoveryState } from './domain/recovery-flow.js';
export { maskEmail, normalizeEmail, normalizePhone } from './domain/contact.js';
export type { DeviceRepository, FlowRepository, IdGenerator, DeferredTasks, DeferredRegistration, SelfServiceTask, GrantInfo, ListPage, ListRequest, ProviderArtifacts, SecretDigester, SecretGenerator, SessionDevice, SessionDeviceRepository, SessionInfo, SessionSighting, StoredFlow, TrustedDeviceReset } from './ports.js';
export type { RequestContext, SelfServiceLimits, SelfServiceSettings } from './use-cases/context.js';
export { sendVerification, CODE_DIGITS, type SendResult, type SendVerificationDeps } from './use-cases/send-verification.js';
export { verifyByCode, verifyByLink, type VerifyDeps, type VerifyResult } from './use-cases/verify.js';
export { register, type RegisterDeps, type RegistrationInput, type RegistrationResult } from './use-cases/register.js';
export { checkResetLink, requestPasswordReset, fulfilResetRequest, resetPassword, type RecoveryDeps } from './use-cases/recovery.js';
export { selfServiceTaskHandler, parseSelfServiceTask, runSelfServiceTask } from './use-cases/deferred-tasks.js';
export { changeOwnPassword, endSession, removePhone, revokeApp, setPhone, startEmailChange, updateProfile, type AccountDeps, type ProfileChanges } from './use-cases/account.js';
export { noteSignIn, type DeviceDeps } from './use-cases/devices.js';
export { createSessionActivity, TOUCH_INTERVAL_MS, type SessionActivity, type SessionActivityDeps, type SessionUse } from './use-cases/session-activity.js';
export { describeUserAgent, type DeviceDescription } from './domain/user-agent.js';
export { coarseNetwork } from './domain/network.js';

import type { AccountDeps } from './use-cases/account.js';
import type { DeviceDeps } from './use-cases/devices.js';
import type { RecoveryDeps } from './use-cases/recovery.js';
import type { RegisterDeps } from './use-cases/register.js';
import type { VerifyDeps } from './use-cases/verify.js';
import type { SessionActivity } from './use-cases/session-activity.js';
/** Everything the self-service use cases need, as the container wires it once. */
export type SelfServiceServices = RegisterDeps & RecoveryDeps & VerifyDeps & AccountDeps & DeviceDeps & { sessionActivity: SessionActivity };
