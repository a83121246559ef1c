/**
 * Refresh token races (REFRESH_TOKEN_REUSE_WINDOW). Rotation stays on and a reused refresh token
 * still revokes its grant (RFC 9700 §4.14.2), except in one case: within the window, the same
 * client (with the same DPoP key when the answer was DPoP-bound, asking the same scope and
 * resource) presenting the token that was
 * just rotated gets the answer that rotation produced — the same successor tokens — as long as
 * that successor refresh token has not been used. Two tabs refreshing together, or a client
 * retrying after a lost response, then keep the user signed in, and a thief presenting the old
 * token later still burns the grant.
 *
 * oidc-provider's own refresh_token grant does the work and every check (client, expiry, mTLS,
 * DPoP, grant, account); this file only wraps it, through three public hooks:
 *   - the grant handler, wrapped when the provider registers it (`registerGrantType`);
 *   - the RefreshToken adapter, which tells the grant a token consumed within the window is
 *     unconsumed, so the grant runs its checks, and notes a consume lost to a concurrent request;
 *   - `rotateRefreshToken`, the grant's last step before rotating: for such a token it stops the
 *     grant, and the wrapper answers with the stored successor instead of rotating again.
 * Across processes the consume of the token row is the one compare-and-set (adapters/oidc/
 * sql-store.ts): one request rotates; the others, in any process, wait for its stored answer.
 * The normal refresh costs one extra write: the answer kept, sealed, on the rotated token's row.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import Provider, { errors, type Adapter, type AdapterPayload, type KoaContextWithOIDC, type TokenEndpointGrantContext } from 'oidc-provider';

/** Must match adapters/oidc/sealed-successor.ts (the field is sealed there, plain here). */
const SUCCESSOR_FIELD = 'successor';
// A racing request waits for the winner to finish issuing (a few queries and a signature);
// bounded so a winner that died mid-way costs the loser a refusal, not a hung request.
const POLL_MS = 50;
const MAX_POLLS = 100;

interface Successor {
  body: Record<string, unknown>;
  clientId: string;
  /** The successor refresh token: once it is consumed or gone, the answer is no longer given. */
  successorId: string;
  /** Thumbprint of the DPoP key the successor access token is bound to, if any. */
  jkt?: string;
  /** The `scope` and `resource` of the rotating request: a repeat must ask the same. */
  asked: string;
}

/** What a refresh asked for besides the token: a repeat asking differently is not a repeat. */
function askedOf(ctx: GrantContext): string {
  const { scope, resource } = ctx.oidc.params as { scope?: unknown; resource?: unknown };
  return JSON.stringify([scope ?? null, resource ?? null]);
}

interface RefreshState {
  windowSeconds: number;
  presentedId?: string;
  /** The presented token's record as stored, successor included. */
  stored?: AdapterPayload;
  /** The presented token was consumed within the window: answer from its successor. */
  repeated?: boolean;
  /** This request's consume lost to a concurrent one that rotated the same token. */
  lostRace?: boolean;
}

const requests = new AsyncLocalStorage<RefreshState>();
const REPEATED = Symbol('repeated refresh');

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The RefreshToken adapter as the wrapped grant sees it. Outside a refresh grant request (introspection,
 * revocation, the account pages) it is the store itself, minus the successor field.
 */
export function refreshReuseAdapter(factory: (model: string) => Adapter): (model: string) => Adapter {
  return (model) => {
    const store = factory(model);
    if (model !== 'RefreshToken') return store;
    return {
      ...bound(store),
      async find(id) {
        const stored = await store.find(id);
        if (!stored) return stored;
        const { [SUCCESSOR_FIELD]: _successor, ...payload } = stored as AdapterPayload & Record<string, unknown>;
        const state = requests.getStore();
        if (!state || state.presentedId !== undefined) return payload as AdapterPayload;
        state.presentedId = id;
        state.stored = stored;
        if (payload.consumed && payload.consumed >= nowSeconds() - state.windowSeconds) {
          state.repeated = true;
          delete payload.consumed;
        }
        return payload as AdapterPayload;
      },
      async consume(id) {
        try {
          await store.consume(id);
        } catch (error) {
          const state = requests.getStore();
          if (state && id === state.presentedId) state.lostRace = true;
          throw error;
        }
      },
    };
  };
}

function bound(store: Adapter): Adapter {
  return {
    upsert: store.upsert.bind(store),
    find: store.find.bind(store),
    findByUid: store.findByUid.bind(store),
    findByUserCode: store.findByUserCode.bind(store),
    consume: store.consume.bind(store),
    destroy: store.destroy.bind(store),
    revokeByGrantId: store.revokeByGrantId.bind(store),
  };
}

/** `rotateRefreshToken`: always rotate, except that a repeated refresh stops here to get its stored answer. */
export function rotateRefreshToken(): boolean {
  if (requests.getStore()?.repeated) throw REPEATED;
  return true;
}

type GrantContext = TokenEndpointGrantContext;
type GrantHandler = (ctx: GrantContext) => unknown;
type Registrar = (name: string, handler: GrantHandler, ...rest: unknown[]) => void;

/**
 * The Provider class with its refresh_token grant wrapped. oidc-provider registers its grants
 * while constructing, through `registerGrantType`, which is where the wrapping happens.
 */
export function providerWithReuseWindow(windowSeconds: number, refreshTokens: () => Adapter): typeof Provider {
  if (windowSeconds <= 0) return Provider;
  class WithReuseWindow extends Provider {}
  const register = Provider.prototype.registerGrantType as unknown as Registrar;
  // Declared on the prototype (not as an override) because the types make the handler generic.
  Object.defineProperty(WithReuseWindow.prototype, 'registerGrantType', {
    value(this: Provider, name: string, handler: GrantHandler, ...rest: unknown[]) {
      register.call(this, name, name === 'refresh_token' ? answeringRepeats(handler, windowSeconds, refreshTokens) : handler, ...rest);
    },
  });
  return WithReuseWindow;
}

function answeringRepeats(grant: GrantHandler, windowSeconds: number, refreshTokens: () => Adapter): GrantHandler {
  return async (ctx) => {
    const state: RefreshState = { windowSeconds };
    try {
      await requests.run(state, async () => grant(ctx));
    } catch (error) {
      if (!(error === REPEATED || state.lostRace) || !state.presentedId) throw error;
      const answer = await awaitSuccessor(refreshTokens(), state.presentedId, ctx);
      if (answer) {
        ctx.body = answer;
        return;
      }
      await revokeAsReuse(ctx, state.stored?.grantId);
      throw new errors.InvalidGrant('refresh token already used');
    }
    await keepSuccessor(ctx, refreshTokens(), state);
  };
}

/** Stores the answer of a rotation with the rotated token, for requests repeating it. */
async function keepSuccessor(ctx: GrantContext, store: Adapter, state: RefreshState): Promise<void> {
  const { RotatedRefreshToken: rotated, RefreshToken: successor, AccessToken: accessToken } = ctx.oidc.entities as Record<string, { jti?: string; jkt?: string } | undefined>;
  if (!rotated || !successor?.jti || !state.presentedId || !state.stored) return;
  const { consumed: _consumed, [SUCCESSOR_FIELD]: _previous, ...payload } = state.stored as AdapterPayload & Record<string, unknown>;
  const expiresIn = typeof payload.exp === 'number' ? payload.exp - nowSeconds() : 0;
  if (expiresIn <= 0) return;
  const record: Successor = {
    body: ctx.body as Record<string, unknown>,
    clientId: ctx.oidc.client.clientId,
    successorId: successor.jti,
    asked: askedOf(ctx),
    ...(accessToken?.jkt ? { jkt: accessToken.jkt } : {}),
  };
  await store.upsert(state.presentedId, { ...payload, [SUCCESSOR_FIELD]: JSON.stringify(record) } as AdapterPayload, expiresIn);
}

/**
 * The answer a concurrent or just-finished rotation of `id` produced, once it is stored, if this
 * request may have it: same client, same DPoP key where the answer is bound, successor unused.
 */
async function awaitSuccessor(store: Adapter, id: string, ctx: GrantContext): Promise<Record<string, unknown> | undefined> {
  for (let poll = 0; poll < MAX_POLLS; poll += 1) {
    const stored = (await store.find(id)) as (AdapterPayload & Record<string, unknown>) | undefined;
    // Gone (its grant was revoked meanwhile) or never consumed: nothing to repeat.
    if (!stored?.consumed) return undefined;
    const sealed = stored[SUCCESSOR_FIELD];
    if (typeof sealed === 'string') {
      const successor = parseSuccessor(sealed);
      return successor ? usableAnswer(store, successor, ctx) : undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return undefined;
}

function parseSuccessor(text: string): Successor | undefined {
  try {
    const value = JSON.parse(text) as Partial<Successor>;
    if (!value || typeof value !== 'object' || typeof value.clientId !== 'string' || typeof value.successorId !== 'string' || !value.body) return undefined;
    return value as Successor;
  } catch {
    return undefined;
  }
}

async function usableAnswer(store: Adapter, successor: Successor, ctx: GrantContext): Promise<Record<string, unknown> | undefined> {
  if (successor.clientId !== ctx.oidc.client.clientId || successor.asked !== askedOf(ctx)) return undefined;
  if (successor.jkt && successor.jkt !== dpopThumbprint(ctx)) return undefined;
  const next = await store.find(successor.successorId);
  if (!next || next.consumed) return undefined;
  return successor.body;
}

/**
 * RFC 7638 thumbprint of the key in this request's DPoP proof. The grant has already verified the
 * proof (signature, htm, htu, iat, replay) before the point where a repeat is answered.
 */
function dpopThumbprint(ctx: KoaContextWithOIDC): string | undefined {
  const proof = ctx.get('DPoP');
  if (!proof) return undefined;
  try {
    const header = JSON.parse(Buffer.from(proof.split('.')[0] ?? '', 'base64url').toString('utf8')) as { jwk?: Record<string, unknown> };
    const jwk = header.jwk;
    if (!jwk) return undefined;
    const members: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'] };
    const required = members[String(jwk.kty)];
    if (!required) return undefined;
    const canonical = JSON.stringify(Object.fromEntries(required.map((k) => [k, jwk[k]])));
    return createHash('sha256').update(canonical).digest('base64url');
  } catch {
    return undefined;
  }
}

/** What oidc-provider's refresh grant does on a reuse: every token of the grant and the grant go. */
async function revokeAsReuse(ctx: GrantContext, grantId: unknown): Promise<void> {
  if (typeof grantId !== 'string') return;
  const { provider } = ctx.oidc;
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
    provider.DeviceCode.revokeByGrantId(grantId),
    provider.BackchannelAuthenticationRequest.revokeByGrantId(grantId),
  ]);
  const grant = await provider.Grant.find(grantId);
  await grant?.destroy();
  provider.emit('grant.revoked', ctx, grantId);
}
