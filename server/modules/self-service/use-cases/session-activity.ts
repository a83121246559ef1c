/**
 * The sessions list's record of each browser session: a sign-in through a session records its
 * browser (named from the User-Agent, never the header itself), its coarse network and the time;
 * later uses of the session (authorization requests that reuse it, /account visits) move "last
 * seen" forward at most once per TOUCH_INTERVAL_MS, and never on the token endpoint. Ending a
 * session forgets its row. A failure here must never stop a sign-in: callers log it and go on.
 */
import type { Clock } from '../../../shared/clock.js';
import { coarseNetwork } from '../domain/network.js';
import { describeUserAgent } from '../domain/user-agent.js';
import type { SessionDeviceRepository } from '../ports.js';

/**
 * "Last seen" is shown to the minute-ish ("3 minutes ago"): five minutes of staleness is invisible
 * to a person and keeps a busy session to at most one write per five minutes.
 */
export const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Sessions this process touched recently, so a burst of requests costs no statement at all; past
 * this many the memo starts over (costing at most one conditional UPDATE per session).
 */
const MEMO_LIMIT = 10_000;

export interface SessionActivityDeps {
  sessionDevices: SessionDeviceRepository;
  clock: Clock;
}

/** One use of a session, as the protocol engine saw it. */
export interface SessionUse {
  sessionUid: string;
  accountId: string;
  userAgent: string | undefined;
  ip: string | undefined;
  /** When the session expires. */
  expiresAt: Date;
}

export interface SessionActivity {
  /** A sign-in completed through this session. */
  signedIn(use: SessionUse): Promise<void>;
  /** The session was used again (throttled). */
  seen(use: SessionUse): Promise<void>;
  /** The session ended: its row goes. */
  ended(sessionUid: string): Promise<void>;
}

export function createSessionActivity(deps: SessionActivityDeps): SessionActivity {
  const touched = new Map<string, { at: number; accountId: string }>();
  const remember = (use: SessionUse, at: number) => {
    if (touched.size >= MEMO_LIMIT) touched.clear();
    touched.set(use.sessionUid, { at, accountId: use.accountId });
  };
  const recentlyRecorded = (use: SessionUse, at: Date) => {
    const last = touched.get(use.sessionUid);
    return last !== undefined && last.accountId === use.accountId && at.getTime() - last.at < TOUCH_INTERVAL_MS;
  };
  return {
    async signedIn(use) {
      const at = deps.clock.now();
      // oidc-provider merges an interaction's earlier submissions into the next one, so the resume
      // after consent carries the login again: the same account in the same session a moment later
      // is the same sign-in, and its row was written then.
      if (recentlyRecorded(use, at)) return;
      const device = describeUserAgent(use.userAgent);
      const network = coarseNetwork(use.ip);
      await deps.sessionDevices.recordSignIn({ sessionUid: use.sessionUid, userId: use.accountId, ...device, ...(network ? { network } : {}), at, expiresAt: use.expiresAt });
      remember(use, at.getTime());
    },
    async seen(use) {
      const at = deps.clock.now();
      if (recentlyRecorded(use, at)) return;
      remember(use, at.getTime());
      const network = coarseNetwork(use.ip);
      await deps.sessionDevices.touch({ sessionUid: use.sessionUid, userId: use.accountId, ...(network ? { network } : {}), at, expiresAt: use.expiresAt }, new Date(at.getTime() - TOUCH_INTERVAL_MS));
    },
    async ended(sessionUid) {
      touched.delete(sessionUid);
      await deps.sessionDevices.forget([sessionUid]);
    },
  };
}
