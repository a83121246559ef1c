/** Builds what the /account page shows: profile, contact, sessions and apps, in the page locale. */
import type { Context } from 'koa';
import { KNOWN_SCOPES } from '../interactions/scope-descriptions.js';
import type { SignedIn } from './account-session.js';
import { isFresh } from './account-session.js';
import { mfaView } from './account-mfa.js';
import { FEDERATION_NOTICES, federationView } from './account-federation.js';
import type { SelfServiceDeps } from './deps.js';
import { localeOf } from './page.js';
import { displayPhone } from './phone-display.js';
import { coarseNetwork, describeUserAgent, type SessionDevice } from '../server/modules/self-service/index.js';
import { timeAgo } from './relative-time.js';
import { describeError } from '../server/shared/logger.js';
import { requestLog } from '../server/http/middleware/request-context.js';
import { requestFacts } from '../server/http/browser/request-facts.js';
import { cursorsOf, listQuery, pageRequest, pagerOf } from './list-pages.js';

export interface AccountExtras {
  notice?: string;
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}

const NOTICES = new Set(['profile', 'password', 'email_sent', 'email', 'email_verified', 'phone_sent', 'phone', 'phone_removed', 'session', 'app', 'mfa']);

export function noticeOf(query: unknown): string | undefined {
  if (typeof query === 'string' && FEDERATION_NOTICES[query]) return FEDERATION_NOTICES[query];
  return typeof query === 'string' && NOTICES.has(query) ? `account.done_${query}` : undefined;
}

export async function accountView(ctx: Context, deps: SelfServiceDeps, who: SignedIn, extras: AccountExtras = {}) {
  const { user, session } = who;
  const locale = localeOf(ctx, deps.renderer);
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const when = (date: Date | undefined) => (date ? `${format.format(date)} UTC` : '');
  const cursors = cursorsOf(ctx.query);
  const [sessions, apps, pendingEmail, pendingPhone, pendingVerify, mfa] = await Promise.all([
    deps.services.artifacts.sessionsOf(user.id, pageRequest(cursors.sessions)),
    deps.services.artifacts.grantsOf(user.id, pageRequest(cursors.apps), deps.options.accountClientId),
    deps.services.flows.findPending(user.id, 'change_email'),
    deps.services.flows.findPending(user.id, 'verify_phone'),
    deps.services.flows.findPending(user.id, 'verify_email'),
    mfaView(deps.mfa, user.id),
  ]);
  const federation = await federationView(deps, user.id, (d) => when(d));
  // Only the clients of the rows on this page are looked up.
  const names = await deps.sessions.clientNames([...apps.items.map((g) => g.clientId), ...sessions.items.flatMap((s) => s.clientIds)]);
  const now = Date.now();
  // This request is the current session's latest sign of life: its browser, network and time.
  const here = requestFacts(ctx);
  await noteVisit(ctx, deps, who);
  const t = deps.renderer.translator(locale);
  const deviceName = ({ browser, os }: { browser?: string | undefined; os?: string | undefined }) =>
    browser && os ? t('account.deviceOn', { browser, os }) : (browser ?? os ?? '');
  const lastSeen = (date: Date) => {
    const ago = timeAgo(date, new Date(now), locale);
    return ago ? t('account.lastSeen', { when: ago }) : t('account.lastSeenNow');
  };
  const describe = (current: boolean, recorded: SessionDevice | undefined) => {
    // The current session is seen right now, from this request; another shows what was recorded of it.
    const network = current ? coarseNetwork(here.ip) : recorded?.network;
    const device = deviceName(recorded ?? (current ? describeUserAgent(here.userAgent) : {}));
    return { device, network: network ?? '', lastSeen: current ? lastSeen(new Date(now)) : recorded ? lastSeen(recorded.lastSeenAt) : '' };
  };
  return {
    titleId: 'account.title',
    passkeysLink: !!deps.passkeys,
    user: { username: user.username, email: user.email ?? '', emailVerified: user.emailVerified },
    profile: { name: user.profile.name ?? '', given_name: user.profile.given_name ?? '', family_name: user.profile.family_name ?? '', nickname: user.profile.nickname ?? '' },
    phone: { number: user.profile.phone_number ?? '', display: displayPhone(user.profile.phone_number ?? ''), verified: user.profile.phone_number_verified === true, pending: !!pendingPhone && pendingPhone.expiresAt.getTime() > now },
    emailVerification: deps.options.emailVerification,
    phoneVerification: deps.options.phoneVerification,
    emailChangePending: !!pendingEmail && pendingEmail.expiresAt.getTime() > now,
    emailVerifyPending: !user.emailVerified,
    hasVerifyFlow: !!pendingVerify,
    fresh: isFresh(session, deps),
    reauthHref: `/account/login?${new URLSearchParams({ return: '/account', reauth: '1' })}`,
    minLength: deps.options.passwordMinLength,
    listQuery: listQuery(cursors),
    sessionPager: pagerOf('sessions', sessions, cursors),
    appPager: pagerOf('apps', apps, cursors),
    sessions: sessions.items.map((s) => ({
      id: s.id,
      current: s.id === session.id,
      ...describe(s.id === session.id, s.device),
      signedIn: when(s.loginTs ? new Date(s.loginTs * 1000) : undefined),
      expires: when(s.expiresAt),
      apps: s.clientIds.filter((id) => id !== deps.options.accountClientId).map((id) => names[id] ?? id),
    })),
    apps: apps.items.map((g) => ({
      id: g.id,
      name: names[g.clientId] ?? g.clientId,
      since: when(g.createdAt),
      scopes: g.scopes.filter((s) => s !== 'openid').map((id) => ({ id, known: KNOWN_SCOPES.has(id) })),
      apis: Object.keys(g.resources),
    })),
    mfa,
    federation,
    notice: extras.notice,
    errors: extras.errors ?? {},
    values: extras.values ?? {},
  };
}

/** An /account visit is a use of the session: "last seen" moves (throttled); never stops the page. */
async function noteVisit(ctx: Context, deps: SelfServiceDeps, { session }: SignedIn): Promise<void> {
  if (!session.expiresAt) return;
  try {
    const facts = requestFacts(ctx);
    await deps.services.sessionActivity.seen({
      sessionUid: session.uid,
      accountId: session.accountId,
      userAgent: facts.userAgent,
      ip: facts.ip,
      expiresAt: session.expiresAt,
    });
  } catch (error) {
    requestLog(ctx)?.warn({ err: describeError(error) }, 'session visit not recorded');
  }
}
