/** The users module's public face: identities, their profile claims, and their creation. */
export type { User, Profile, Address } from './domain/user.js';
export { normalizeLogin, USERNAME_PATTERN } from './domain/user.js';
export { claimsOf, SCOPE_CLAIMS, type ClaimSet } from './domain/claims.js';
export { createUser, type CreateUserInput, type CreateUserDeps } from './use-cases/create-user.js';
export type { UserRepository, CredentialRepository, PasswordHasher, PasswordCredential, NewUser } from './ports.js';
export { passwordProblems, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, type PasswordProblem } from './domain/password-policy.js';
export { DEFAULT_PASSWORD_POLICY, PASSWORD_MIN_LENGTH_FLOOR, type PasswordBlocklist, type PasswordPolicy } from './domain/password-policy.js';
export { changePassword, type ChangePasswordDeps } from './use-cases/change-password.js';
