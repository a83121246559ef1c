/**
 * The interaction policy: oidc-provider's default login and consent prompts, plus
 *   - `select_account` (OIDC Core §3.1.2.1): requestable, asked before login when the browser
 *     already has a session, so the user can continue as that account or use another;
 *   - a step-up check on `login`: a session that signed in without a second factor is sent back
 *     through login when the client asks `acr_values` for MFA or its `mfa_policy` is `required`
 *     (auth/domain/mfa-policy.ts decides).
 *   - `create` (OpenID Connect Prompt Create 1.0), requestable when sign-up is open: the user is
 *     sent to sign-up, and the new account's first sign-in resolves it. With sign-up closed the
 *     value is not supported, so oidc-provider refuses `prompt=create` with invalid_request (§4)
 *     and leaves it out of `prompt_values_supported`.
 * Whether the *password* step needs a second factor is decided by the login step itself, since it
 * needs the account's factors, which are only known once the password was checked.
 */
import { interactionPolicy } from 'oidc-provider';
import { ACR_MFA, sessionNeedsStepUp } from '../modules/auth/index.js';

const { Prompt, Check, base } = interactionPolicy;

export const STEP_UP_REASON = 'mfa_step_up';

export function buildInteractionPolicy(options: { mfaEnabled: boolean; signupEnabled?: boolean }): ReturnType<typeof base> {
  const policy = base();
  policy.get('login')!.checks.push(
    new Check(STEP_UP_REASON, 'the client requires multi-factor authentication', (ctx) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const acrValues = typeof oidc.params?.acr_values === 'string' ? oidc.params.acr_values : undefined;
      const clientPolicy = (oidc.client as unknown as { mfa_policy?: string } | undefined)?.mfa_policy === 'required' ? 'required' : 'optional';
      return sessionNeedsStepUp({ enabled: options.mfaEnabled, acrValues, clientPolicy, sessionAcr: oidc.acr, mfaAcr: ACR_MFA })
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
  );
  // The requestable prompt adds its own check (prompt=select_account and not yet resolved).
  policy.add(new Prompt({ name: 'select_account', requestable: true }), 0);
  // First: asking to create an account outranks continuing as the session's account.
  if (options.signupEnabled) policy.add(new Prompt({ name: 'create', requestable: true }), 0);
  return policy;
}

/**
 * `prompt_values_supported` (OpenID Connect Prompt Create 1.0 §3): what oidc-provider accepts in
 * `prompt`, which is `none` and the requestable prompts of the policy. It does not publish the
 * list itself, so it goes into the discovery document from here.
 */
export function promptValuesSupported(policy: ReturnType<typeof base>): string[] {
  return ['none', ...policy.filter((prompt) => prompt.requestable).map((prompt) => prompt.name)];
}
