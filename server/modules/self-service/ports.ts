/** What self-service needs from storage, cryptography and the protocol engine. */
import type { InTransaction } from '../../shared/unit-of-work.js';
import type { RecoveryFlow } from './domain/recovery-flow.js';
import type { VerificationFlow } from './domain/verification-flow.js';

/** A flow as stored: its secrets only as keyed digests. */
export type StoredFlow =
  | (VerificationFlow & { tokenDigest: string | null; codeDigest: string | null })
  | (RecoveryFlow & { kind: 'reset_password'; attempts: number; tokenDigest: string | null; codeDigest: null });

export interface FlowRepository {
  /** With `options.transaction`, written in the caller's transaction. */
  create(flow: StoredFlow, options?: InTransaction): Promise<void>;
  findById(id: string): Promise<StoredFlow | undefined>;
  findByTokenDigest(digest: string): Promise<StoredFlow | undefined>;
  /** The newest pending flow of this user and kind, if any. */
  findPending(userId: string, kind: StoredFlow['kind']): Promise<StoredFlow | undefined>;
  /** Ends every pending flow of this user and kind (a newer one replaces them). */
  supersedePending(userId: string, kind: StoredFlow['kind'], now: Date, options?: InTransaction): Promise<void>;
  /**
   * Stores a transition only if the record is still as it was read (same state and attempts):
   * of two concurrent uses of one secret, exactly one succeeds. @returns whether it was stored.
   */
  transition(id: string, from: { state: string; attempts: number }, to: { state: string; attempts: number; finishedAt: Date | null }): Promise<boolean>;
}

/** Keyed one-way digests of link tokens and codes (HMAC), so a database leak reveals no usable secret. */
export interface SecretDigester {
  digest(secret: string): string;
  /** Constant-time comparison of a presented secret with a stored digest. */
  matches(secret: string, digest: string | null): boolean;
}

/**
 * Work that must not happen before the answer, because how long it takes would tell whether an
 * account exists: the request writes one task whatever the address, and a worker does the
 * account-specific part later (through the outbox, so it is durable and retried).
 */
/** Who asked, as the task's audit records and messages need it. */
export type TaskFacts = { ip?: string; userAgent?: string; requestId?: string };

/** What a sign-up writes once answered: ids chosen in the request, the password already hashed. */
export interface DeferredRegistration {
  userId: string;
  flowId: string;
  username: string;
  email: string;
  /** Absent: a passkey sign-up — the account gets its passkey after the email is verified. */
  passwordHash?: string;
  phone?: string;
  /** The budgets the request spent: a refused one sends nothing (the account is still created). */
  emailAllowed: boolean;
  phoneAllowed: boolean;
  /**
   * The account id an earlier sign-up in this browser chose ("use a different address"): that
   * account, if it was created and its email is still unverified, is deleted before this one is made.
   */
  replaces?: string;
}

export type SelfServiceTask =
  | { type: 'password-reset'; email: string; locale: string; facts: TaskFacts }
  | { type: 'registration'; registration: DeferredRegistration; locale: string; facts: TaskFacts };

export interface DeferredTasks {
  defer(task: SelfServiceTask): Promise<void>;
}

/** Identifiers of new records (randomness is a port: tests pin it). */
export interface IdGenerator {
  newId(): string;
}

export interface SecretGenerator {
  /** A URL-safe token of at least 256 bits. */
  token(): string;
  /** A numeric code of `digits` digits, uniformly random. */
  code(digits: number): string;
}

/** A browser session at the provider, as the account page shows it. */
export interface SessionInfo {
  id: string;
  uid: string;
  /** Epoch seconds of the sign-in. */
  loginTs: number | undefined;
  expiresAt: Date | undefined;
  /** Clients signed in through this session. */
  clientIds: string[];
  /** What was recorded of the browser behind it (absent for a session older than the record). */
  device?: SessionDevice;
}

/** A session's browser as the sessions list shows it: named from its User-Agent, a coarse network, times. */
export interface SessionDevice {
  browser?: string;
  os?: string;
  /** domain/network.ts: "203.0.113.x", never the full address. */
  network?: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/** A sign of life of a browser session (by its uid, never the cookie value). */
export interface SessionSighting {
  sessionUid: string;
  userId: string;
  browser?: string;
  os?: string;
  network?: string;
  at: Date;
  /** When the session expires: the row is purged after it. */
  expiresAt: Date;
}

/** The browser behind each session (session_devices). */
export interface SessionDeviceRepository {
  /** A sign-in through the session: browser, network and last seen replaced; created_at kept from the first. */
  recordSignIn(sighting: SessionSighting): Promise<void>;
  /**
   * Moves last seen (and network, expiry) forward, only when the row was last seen before
   * `staleBefore`: one write per session per interval, whichever process sees it. @returns whether a row changed.
   */
  touch(sighting: Omit<SessionSighting, 'browser' | 'os'>, staleBefore: Date): Promise<boolean>;
  /** The recorded browsers of these sessions, by uid. */
  findMany(sessionUids: string[]): Promise<Map<string, SessionDevice>>;
  /** @returns how many rows went. */
  forget(sessionUids: string[]): Promise<number>;
  /** Deletes up to `limit` rows of sessions expired by `now`. @returns how many. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}

/** An app's consent (a Grant) as the account page shows it. */
export interface GrantInfo {
  id: string;
  clientId: string;
  scopes: string[];
  resources: Record<string, string[]>;
  createdAt: Date | undefined;
  expiresAt: Date | undefined;
}

/**
 * One page of a list in a stable order, newest first. Keys are the adapter's sort keys, opaque to
 * callers; `after` asks for the page following a key, `before` for the one preceding it.
 */
export interface ListRequest {
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
}

export interface ListPage<T> {
  items: T[];
  /** How many there are in all. */
  total: number;
  /** Set when a page follows: pass as `after`. */
  nextKey?: string;
  /** Set when a page precedes: pass as `before`. */
  previousKey?: string;
}

/** The protocol engine's records of an account: sessions, grants and the tokens issued under them. */
export interface ProviderArtifacts {
  /** Newest sign-in first. @throws AppError invalid_input for a key this adapter did not make. */
  sessionsOf(accountId: string, page: ListRequest): Promise<ListPage<SessionInfo>>;
  /** Ends one session and revokes the grants it signed in to (unless they outlive logout, as offline access does). @returns false when it is not this account's. */
  endSession(accountId: string, sessionId: string): Promise<boolean>;
  /** Newest first, without the grants of `exceptClientId` (the account pages' own client). @throws AppError invalid_input for a foreign key. */
  grantsOf(accountId: string, page: ListRequest, exceptClientId?: string): Promise<ListPage<GrantInfo>>;
  /** Revokes a grant and every token issued under it, in every store. @returns false when it is not this account's. */
  revokeGrant(accountId: string, grantId: string): Promise<boolean>;
  /** Ends every session and revokes every grant (with its refresh and access tokens) of the account. */
  revokeEverything(accountId: string): Promise<{ sessions: number; grants: number }>;
}

/** Browsers (by a digest of their device cookie) that signed in to an account. */
export interface DeviceRepository {
  /** Records the sign-in; @returns whether the device was new for this account, and whether the account had any device before. */
  remember(userId: string, deviceDigest: string, userAgent: string, now: Date): Promise<{ isNew: boolean; hadDevices: boolean }>;
}

/** Devices trusted to skip the second factor (the MFA module's), as recovery needs them. */
export interface TrustedDeviceReset {
  /** Forgets every trusted device of the account; @returns how many there were. */
  forgetAll(userId: string, facts: { ip?: string; userAgent?: string; requestId?: string }): Promise<number>;
}
