/**
 * The device authorization grant (RFC 8628) as oidc-provider's `features.deviceFlow`, with our
 * pages: the user-code page, the confirmation page (naming the client, so a user who was sent a
 * code by someone else sees whose device asks) and the success page, all from views/oidc/.
 *
 * What oidc-provider v9 leaves to us:
 * - `slow_down` (RFC 8628 §3.5): a device polling one device code faster than the interval is
 *   refused with slow_down; the poll counter is shared by every process (Redis when configured).
 * - user-code guessing (RFC 8628 §5.1): the pages mark each submitted code that does not lead to
 *   a pending request (`ctx.state.deviceUserCode = 'rejected'`), and the middleware in front of
 *   the provider (http/middleware/device-code-guesses.ts) counts those per IP and overall.
 */
import { errors, Provider, type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Renderer } from '../shared/rendering.js';
import { negotiateLocale } from '../shared/i18n.js';
import type { RateLimiter } from '../shared/rate-limit.js';

export interface DeviceFlowDeps {
  renderer: Renderer;
  /** One point per device code per poll interval: a poll finding none left is answered slow_down. */
  pollLimiter: RateLimiter;
  /** Seconds a device code and its user code live (DEVICE_CODE_TTL). */
  codeTtl: number;
  /** Seconds a device waits between polls (DEVICE_POLL_INTERVAL), announced in the device authorization response. */
  pollInterval: number;
}

/** What a re-rendered user-code page says, by the error oidc-provider re-renders it with. */
const MESSAGES: Record<string, string> = {
  NotFoundError: 'device.notFound',
  ExpiredError: 'device.expired',
  AlreadyUsedError: 'device.used',
  NoCodeError: 'device.missing',
  AbortedError: 'device.aborted',
};
/** Submissions that name no pending request: what a guesser produces, counted against the limits. */
const GUESSES = new Set(['NotFoundError', 'ExpiredError', 'AlreadyUsedError']);

// base-20 without vowels (no words, no 0/O or 1/I confusion) in two groups of four: 20^8 ≈ 2.6e10
// codes, so at the guessing limits an attacker's chance of hitting a live code stays negligible.
const CHARSET = 'base-20';
/** How long an expired device code is still recognised as expired: a polling device's patience. */
const EXPIRED_KEPT_SECONDS = 300;
const MASK = '****-****';

/** The CSRF token oidc-provider put in its own form (we render ours, without its inline handler). */
function xsrfOf(form: string): string {
  return /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '';
}

function pageLocale(ctx: KoaContextWithOIDC, renderer: Renderer): string {
  return negotiateLocale(ctx, renderer.locales);
}

function render(ctx: KoaContextWithOIDC, renderer: Renderer, template: string, titleId: string, data: Record<string, unknown>) {
  const locale = pageLocale(ctx, renderer);
  const t = renderer.translator(locale);
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderer.render(template, { title: t(titleId, data as Record<string, string>), locale, ...data });
}

/** oidc-provider's `features.deviceFlow`, rendering our pages. */
export function deviceFlowFeature(deps: DeviceFlowDeps): NonNullable<Configuration['features']>['deviceFlow'] {
  const { renderer } = deps;
  return {
    enabled: true,
    charset: CHARSET,
    mask: MASK,
    async userCodeInputSource(ctx, form, _out, err) {
      const name = err?.name;
      if (name && GUESSES.has(name)) ctx.state.deviceUserCode = 'rejected';
      const messageId = name ? MESSAGES[name] ?? 'device.failed' : undefined;
      const t = renderer.translator(pageLocale(ctx, renderer));
      const userCode = (err as { userCode?: unknown } | undefined)?.userCode;
      render(ctx, renderer, 'oidc/device-input', 'device.title', {
        action: ctx.oidc.urlFor('code_verification'),
        xsrf: xsrfOf(form),
        error: messageId ? t(messageId) : undefined,
        userCode: typeof userCode === 'string' && name !== 'AbortedError' ? userCode : undefined,
      });
    },
    async userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
      const metadata = client.metadata() as { logo_uri?: string };
      render(ctx, renderer, 'oidc/device-confirm', 'device.confirmTitle', {
        action: ctx.oidc.urlFor('code_verification'),
        xsrf: xsrfOf(form),
        userCode,
        clientName: client.clientName ?? client.clientId,
        logoUri: metadata.logo_uri,
      });
    },
    async successSource(ctx) {
      render(ctx, renderer, 'oidc/device-success', 'device.successTitle', { clientName: ctx.oidc.client?.clientName });
    },
  };
}

/**
 * The provider's storage with polling speed enforced: each time the token endpoint loads a device
 * code it spends the code's point for the current interval; none left → slow_down (RFC 8628 §3.5).
 * Every other model, and device codes loaded elsewhere (the user-code pages), pass through.
 * Device codes are stored a while past their expiry (EXPIRED_KEPT_SECONDS).
 */
export function pollingLimitedAdapter(factory: (model: string) => Adapter, limiter: RateLimiter): (model: string) => Adapter {
  return (model) => {
    const adapter = factory(model);
    if (model !== 'DeviceCode') return adapter;
    return {
      // Kept past expiry, so a device polling a dead code hears expired_token (RFC 8628 §3.5)
      // rather than invalid_grant, and the code page says "expired" instead of "not valid".
      upsert: (id, payload, expiresIn) => adapter.upsert(id, payload, (expiresIn ?? 0) + EXPIRED_KEPT_SECONDS),
      findByUserCode: adapter.findByUserCode.bind(adapter),
      findByUid: adapter.findByUid.bind(adapter),
      consume: adapter.consume.bind(adapter),
      destroy: adapter.destroy.bind(adapter),
      revokeByGrantId: adapter.revokeByGrantId.bind(adapter),
      async find(id: string) {
        const ctx = Provider.ctx as KoaContextWithOIDC | undefined;
        if (ctx?.oidc?.route === 'token') {
          const decision = await limiter.consume(`device-poll:${id}`);
          if (!decision.allowed) throw new errors.SlowDown();
        }
        return adapter.find(id);
      },
    };
  };
}

/**
 * Tells devices the polling interval (RFC 8628 §3.2 `interval`; oidc-provider omits it, which
 * means 5 s to a client), so the interval we enforce is the one they were given.
 */
export function announcePollInterval(provider: Provider, seconds: number): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    if (oidc?.route === 'device_authorization' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      (ctx.body as Record<string, unknown>).interval = seconds;
    }
  });
}

/**
 * The code page re-rendered for an error the device routes met outside oidc-provider's session
 * middleware — a POST /device without the session cookie ("could not find device form details"),
 * a resume (`/device/:uid`) without its cookie — puts its form secret in a session that was never
 * stored, after that middleware ended; the route's outer `ensureSessionSave` then calls
 * `persist`, which throws for a session never saved, and the visitor got a 500. Such a session is
 * stored here as the session middleware stores a new one (cookie, then the session TTL), so the
 * page is the provider's 400 and its form works when posted.
 */
export function storeSessionsFirstTouchedOnErrorPages(provider: Provider, sessionTtlSeconds: number, cookie: Record<string, unknown>): void {
  const prototype = provider.Session.prototype as unknown as { persist(this: { exp?: unknown; id: string; save(ttl: number): Promise<unknown> }): Promise<unknown> };
  const persist = prototype.persist;
  prototype.persist = async function persistOrStore() {
    if (typeof this.exp === 'number') return persist.call(this);
    const ctx = Provider.ctx as KoaContextWithOIDC | undefined;
    if (!ctx?.oidc) return undefined;
    ctx.oidc.cookies.set(provider.cookieName('session'), this.id, cookie as never);
    return this.save(sessionTtlSeconds);
  };
}
