/** The users module's public face: identities, their profile claims, and their creation. */
export type { User, Profile, Address } from './domain/user.js';
export { normalizeLogin, USERNAME_PATTERN } from './domain/user.js';
export { claimsOf, SCOPE_CLAIMS, type ClaimSet } from './domain/claims.js';
export { createUser, type CreateUserInput, type CreateUserDeps } from './use-cases/create-user.js';
export type { UserRepository, CredentialRepository, PasswordHasher, PasswordCredential, NewUser } from './ports.js';
export { passwordProblems, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, type PasswordProblem } from './domain/password-policy.js';
export { DEFAULT_PASSWORD_POLICY, PASSWORD_MIN_LENGTH_FLOOR, type PasswordBlocklist, type PasswordPolicy } from './domain/password-policy.js';
export { changePassword, type ChangePasswordDeps } from './use-cases/change-password.js';
export { eachUser } from './use-cases/each-user.js';
export { passwordHashFormat, parseScrypt, scryptMemory, SCRYPT_LIMITS, PASSWORD_HASH_FORMATS_HELP, type PasswordHashFormat, type ScryptParameters } from './domain/password-hash-format.js';
export type { UserFilter, UserChanges, CredentialResets, AccountRecords, UserSession, UserGrant } from './ports.js';
export { createUserAdministration, type UserAdministration, type UserAdministrationDeps, type UserView, type UserPatch, type ProfilePatch } from './use-cases/administer-users.js';
export { createAccountRecordAdministration, type AccountRecordAdministration, type AccountRecordDeps } from './use-cases/account-records.js';
