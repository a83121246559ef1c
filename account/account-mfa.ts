/**
 * Two-step verification on /account, through the MFA use cases of server/modules/auth: turn an
 * authenticator app (TOTP) on — QR code, then a first code — and off, regenerate recovery codes,
 * revoke trusted devices. Every change needs a recent sign-in (ACCOUNT_REAUTH_WINDOW): a stolen
 * session must not be able to swap the second factor. Recovery codes are shown once, on the
 * response to the POST that made them, never on a GET.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { MfaService } from '../server/modules/auth/index.js';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { isFresh, signedIn, signInUrl, type SignedIn } from './account-session.js';
import type { SelfServiceDeps } from './deps.js';
import { renderSelfService, requestContext } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';

const codeForm = z.object({ csrf: z.string(), code: z.string().max(20) });
const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** What the account page's security section shows. */
export async function mfaView(mfa: MfaService | undefined, userId: string) {
  if (!mfa?.enabled) return undefined;
  const [factors, devices] = await Promise.all([mfa.listFactors(userId), mfa.listTrustedDevices(userId)]);
  const totp = factors.find((f) => f.type === 'totp');
  const codes = factors.find((f) => f.type === 'recovery_codes');
  const now = Date.now();
  return {
    totp: totp ? { since: totp.since } : undefined,
    codesLeft: codes?.detail ?? '0',
    devices: devices.filter((d) => d.revokedAt === null && d.expiresAt > now).map((d) => ({ id: d.id, label: d.label, since: new Date(d.createdAt).toISOString().slice(0, 10) })),
  };
}

type Handler = (ctx: Context, who: SignedIn, mfa: MfaService, body: Record<string, unknown>) => Promise<void>;

function mfaAction(deps: SelfServiceDeps, handler: Handler) {
  return async (ctx: Context) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const who = await signedIn(ctx, deps);
    if (!who) return seeOther(ctx, signInUrl('/account'));
    if (!isFresh(who.session, deps)) return seeOther(ctx, signInUrl('/account', true));
    if (!deps.mfa?.enabled) return seeOther(ctx, '/account');
    await handler(ctx, who, deps.mfa, body);
  };
}

function showEnrolment(ctx: Context, deps: SelfServiceDeps, enrolment: { secret: string; qrCodeDataUri: string }, error?: string) {
  renderSelfService(ctx, deps.renderer, 'account/mfa-enrol', { titleId: 'mfa.enrolTitle', secret: enrolment.secret, qrCode: enrolment.qrCodeDataUri, error });
}

function showCodes(ctx: Context, deps: SelfServiceDeps, codes: string[]) {
  renderSelfService(ctx, deps.renderer, 'account/recovery-codes', { titleId: 'mfa.recoveryCodesTitle', codes });
}

export function registerAccountMfa(router: Router, deps: SelfServiceDeps): void {
  const facts = (ctx: Context) => requestContext(ctx, deps.renderer).facts;

  router.post('/account/mfa/totp', mfaAction(deps, async (ctx, who, mfa) => {
    const started = await mfa.beginTotpEnrolment(who.user.id, who.user.username);
    if ('error' in started) return seeOther(ctx, '/account#security');
    showEnrolment(ctx, deps, started);
  }));

  router.post('/account/mfa/totp/confirm', mfaAction(deps, async (ctx, who, mfa, body) => {
    const form = codeForm.safeParse(body);
    const result = form.success ? await mfa.confirmTotpEnrolment(who.user.id, form.data.code.replace(/\s/g, ''), facts(ctx)) : { ok: false as const, error: 'invalid_code' as const };
    if (result.ok) return showCodes(ctx, deps, await mfa.generateRecoveryCodes(who.user.id, facts(ctx)));
    const restarted = result.error !== 'invalid_code';
    const again = restarted ? await mfa.beginTotpEnrolment(who.user.id, who.user.username) : await mfa.currentTotpEnrolment(who.user.id, who.user.username);
    if (!again || 'error' in again) return seeOther(ctx, '/account#security');
    ctx.status = 400;
    showEnrolment(ctx, deps, again, restarted ? 'mfa.enrolExpired' : 'mfa.invalidCode');
  }));

  router.post('/account/mfa/totp/remove', mfaAction(deps, async (ctx, who, mfa) => {
    await mfa.removeTotp(who.user.id, facts(ctx));
    seeOther(ctx, '/account?done=mfa#security');
  }));

  router.post('/account/mfa/recovery-codes', mfaAction(deps, async (ctx, who, mfa) => {
    showCodes(ctx, deps, await mfa.generateRecoveryCodes(who.user.id, facts(ctx)));
  }));

  router.post('/account/mfa/devices/:id/revoke', mfaAction(deps, async (ctx, who, mfa) => {
    const id = ctx.params.id ?? '';
    if (ID.test(id)) await mfa.revokeTrustedDevice(who.user.id, id, facts(ctx));
    seeOther(ctx, '/account?done=mfa#security');
  }));
}
