/**
 * The behaviour every oidc-provider storage adapter of this project must have, whatever it stores
 * into. oidc-provider's own reference (lib/adapters/memory_adapter.js) defines most of it; the
 * rest is what oidc-provider silently relies on: an expired record is gone, a consumed record
 * stays consumed, and of concurrent consumers of one record exactly one wins.
 *
 * Usage: runAdapterContract('SqlStore on PGlite', async () => ({ adapterFor, close })). Every
 * test uses fresh random ids, so the suites share one store per factory.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { CONSUMABLE_MODELS, GRANT_BOUND_MODELS, MODEL_NAMES, MODEL_STORE } from '../../adapters/oidc/models.js';

export interface AdapterFactory {
  adapterFor(model: string): Adapter;
  close(): Promise<void>;
}

/** Models stored through the generic adapters (Client lives in its own table, with its own tests). */
const STORED_MODELS: string[] = MODEL_NAMES.filter((m) => MODEL_STORE[m] !== 'clients');
const CONSUMABLE: string[] = [...CONSUMABLE_MODELS.keys()];
const GRANT_BOUND: string[] = [...GRANT_BOUND_MODELS];
const NOT_GRANT_BOUND: string[] = STORED_MODELS.filter((m) => !GRANT_BOUND_MODELS.has(m));

/** Like oidc-provider's ids: url-safe, never containing ':'. */
export function newId(label = 'id'): string {
  return `${label}-${randomBytes(12).toString('base64url')}`;
}

const epochNow = () => Math.floor(Date.now() / 1000);

/** A realistic payload for `model`, with nested objects, arrays, nulls and non-ASCII text. */
export function samplePayload(model: string, id: string, extra: Partial<AdapterPayload> = {}): AdapterPayload {
  const iat = epochNow();
  const payload: AdapterPayload = {
    jti: id,
    kind: model,
    iat,
    exp: iat + 3600,
    accountId: 'account-1',
    clientId: 'client-1',
    scope: 'openid profile offline_access',
    redirectUri: 'https://rp.example/cb?x=1&y=%20',
    claims: { id_token: { email: { essential: true }, acr: { values: ['urn:a', 'urn:b'] } }, userinfo: { name: null } },
    params: {
      nested: { deep: [1, 'two', { three: true, four: null, five: 5.25 }], empty: {}, list: [] },
      text: 'ünïcødé ✓ 🔑 "quoted" \\ back\nslash',
      big: 9_007_199_254_740_991,
      negative: -42,
      flag: false,
    },
    extra: {},
  };
  if (model === 'Session') {
    payload.uid = newId('uid');
    payload.authorizations = { 'client-1': { sid: 'sid-1', grantId: 'grant-x', persistsLogout: false } };
    payload.amr = ['pwd', 'otp'];
  }
  if (model === 'DeviceCode') {
    payload.userCode = randomBytes(6).toString('hex').toUpperCase();
    payload.deviceInfo = { ip: '192.0.2.1', ua: 'curl/8' };
  }
  return { ...payload, ...extra };
}

function expectErrorFor(model: string, error: unknown): void {
  if (model === 'PushedAuthorizationRequest') {
    expect(error).toBeInstanceOf(errors.InvalidRequestUri);
    expect((error as { error?: string }).error).toBe('invalid_request_uri');
  } else {
    expect(error).toBeInstanceOf(errors.InvalidGrant);
    expect((error as { error?: string }).error).toBe('invalid_grant');
  }
}

/** Records the grants a store reports as reused (the ReuseHandler the adapter factory wires). */
export type ReuseRecorder = (grantId: string) => Promise<void>;

export function runAdapterContract(
  name: string,
  makeFactory: (onReuse: ReuseRecorder) => AdapterFactory | Promise<AdapterFactory>,
): void {
  describe(`oidc adapter contract: ${name}`, () => {
    let factory: AdapterFactory | undefined;
    const reusedGrants: string[] = [];
    const onReuse: ReuseRecorder = async (grantId) => void reusedGrants.push(grantId);
    const adapters = new Map<string, Adapter>();
    /** One adapter per model, as oidc-provider keeps one per model class. */
    const adapter = (model: string): Adapter => {
      if (!factory) throw new Error('factory not ready');
      let a = adapters.get(model);
      if (!a) {
        a = factory.adapterFor(model);
        adapters.set(model, a);
      }
      return a;
    };

    beforeAll(async () => {
      factory = await makeFactory(onReuse);
    });
    afterAll(async () => {
      await factory?.close();
    });

    describe('upsert and find', () => {
      it.each(STORED_MODELS)('%s: find returns exactly the upserted payload', async (model) => {
        const id = newId();
        const payload = samplePayload(model, id, { grantId: newId('grant') });
        await adapter(model).upsert(id, payload, 3600);
        expect(await adapter(model).find(id)).toStrictEqual(payload);
        // and the caller's object was not mutated by the adapter
        expect(payload.consumed).toBeUndefined();
      });

      it('a payload with U+0000 and lone surrogates in client-sent values comes back exactly (jsonb holds neither)', async () => {
        const id = newId();
        const payload = samplePayload('Interaction', id, {
          uid: newId('uid'),
          params: { state: 'a\u0000b', nonce: '\ud800', login_hint: 'x\udfffy', nested: [{ deep: '\u0000' }], fine: 'ok 🔑' },
        });
        await adapter('Interaction').upsert(id, payload, 3600);
        expect(await adapter('Interaction').find(id)).toStrictEqual(payload);
        expect(await adapter('Interaction').findByUid(payload.uid!)).toStrictEqual(payload);
      });

      it('find of an unknown id resolves to undefined', async () => {
        for (const model of STORED_MODELS) {
          expect(await adapter(model).find(newId('missing'))).toBeUndefined();
        }
      });

      it('a record without expiry is stored and found', async () => {
        const id = newId();
        const payload = samplePayload('Grant', id);
        await adapter('Grant').upsert(id, payload);
        expect(await adapter('Grant').find(id)).toStrictEqual(payload);
      });

      it('upsert of an existing id replaces the payload (no merge of old keys)', async () => {
        const id = newId();
        await adapter('AccessToken').upsert(id, samplePayload('AccessToken', id, { scope: 'openid', accountId: 'old' }), 3600);
        const replacement: AdapterPayload = { jti: id, kind: 'AccessToken', scope: 'email', exp: epochNow() + 60 };
        await adapter('AccessToken').upsert(id, replacement, 60);
        expect(await adapter('AccessToken').find(id)).toStrictEqual(replacement);
      });

      it('models are isolated: the same id in two models is two records', async () => {
        const id = newId();
        const a = samplePayload('AccessToken', id, { scope: 'a' });
        const b = samplePayload('AuthorizationCode', id, { scope: 'b' });
        await adapter('AccessToken').upsert(id, a, 3600);
        expect(await adapter('AuthorizationCode').find(id)).toBeUndefined();
        await adapter('AuthorizationCode').upsert(id, b, 3600);
        expect(await adapter('AccessToken').find(id)).toStrictEqual(a);
        expect(await adapter('AuthorizationCode').find(id)).toStrictEqual(b);

        await adapter('AuthorizationCode').consume(id);
        expect((await adapter('AuthorizationCode').find(id))?.consumed).toEqual(expect.any(Number));
        expect((await adapter('AccessToken').find(id))?.consumed).toBeUndefined();

        await adapter('AuthorizationCode').destroy(id);
        expect(await adapter('AuthorizationCode').find(id)).toBeUndefined();
        expect(await adapter('AccessToken').find(id)).toStrictEqual(a);
      });
    });

    describe('destroy', () => {
      it.each(STORED_MODELS)('%s: destroy removes the record', async (model) => {
        const id = newId();
        await adapter(model).upsert(id, samplePayload(model, id), 3600);
        await adapter(model).destroy(id);
        expect(await adapter(model).find(id)).toBeUndefined();
      });

      it('destroy of an unknown id is a no-op', async () => {
        const keep = newId();
        await adapter('Interaction').upsert(keep, samplePayload('Interaction', keep), 3600);
        await expect(adapter('Interaction').destroy(newId('missing'))).resolves.toBeUndefined();
        expect(await adapter('Interaction').find(keep)).toBeDefined();
      });
    });

    describe('Session.findByUid', () => {
      it('finds the session by its uid; unknown uid finds nothing', async () => {
        const id = newId();
        const payload = samplePayload('Session', id);
        await adapter('Session').upsert(id, payload, 3600);
        expect(await adapter('Session').findByUid(payload.uid!)).toStrictEqual(payload);
        expect(await adapter('Session').findByUid(newId('uid'))).toBeUndefined();
      });

      it('after upsert with a new uid, the old uid no longer finds it', async () => {
        const id = newId();
        const first = samplePayload('Session', id);
        await adapter('Session').upsert(id, first, 3600);
        const second = { ...first, uid: newId('uid'), loginTs: epochNow() };
        await adapter('Session').upsert(id, second, 3600);
        expect(await adapter('Session').findByUid(first.uid!)).toBeUndefined();
        expect(await adapter('Session').findByUid(second.uid!)).toStrictEqual(second);
      });

      it('after destroy, the uid finds nothing', async () => {
        const id = newId();
        const payload = samplePayload('Session', id);
        await adapter('Session').upsert(id, payload, 3600);
        await adapter('Session').destroy(id);
        expect(await adapter('Session').findByUid(payload.uid!)).toBeUndefined();
      });

      it('session id regeneration (destroy old id, upsert new id with the same uid) keeps the uid lookup', async () => {
        const oldId = newId();
        const payload = samplePayload('Session', oldId);
        await adapter('Session').upsert(oldId, payload, 3600);
        const newSessionId = newId();
        const moved = { ...payload, jti: newSessionId };
        // the order oidc-provider's Session#save uses after resetIdentifier()
        await adapter('Session').destroy(oldId);
        await adapter('Session').upsert(newSessionId, moved, 3600);
        expect(await adapter('Session').find(oldId)).toBeUndefined();
        expect(await adapter('Session').findByUid(payload.uid!)).toStrictEqual(moved);
      });
    });

    describe('DeviceCode.findByUserCode', () => {
      it('finds the device code by its user code; unknown user code finds nothing', async () => {
        const id = newId();
        const payload = samplePayload('DeviceCode', id, { grantId: newId('grant') });
        await adapter('DeviceCode').upsert(id, payload, 600);
        expect(await adapter('DeviceCode').findByUserCode(payload.userCode!)).toStrictEqual(payload);
        expect(await adapter('DeviceCode').findByUserCode('NOPE-NOPE')).toBeUndefined();
      });

      it('after upsert with a new user code, the old one no longer finds it', async () => {
        const id = newId();
        const first = samplePayload('DeviceCode', id);
        await adapter('DeviceCode').upsert(id, first, 600);
        const second = { ...first, userCode: randomBytes(6).toString('hex').toUpperCase() };
        await adapter('DeviceCode').upsert(id, second, 600);
        expect(await adapter('DeviceCode').findByUserCode(first.userCode!)).toBeUndefined();
        expect(await adapter('DeviceCode').findByUserCode(second.userCode!)).toStrictEqual(second);
      });

      it('after destroy, the user code finds nothing', async () => {
        const id = newId();
        const payload = samplePayload('DeviceCode', id);
        await adapter('DeviceCode').upsert(id, payload, 600);
        await adapter('DeviceCode').destroy(id);
        expect(await adapter('DeviceCode').findByUserCode(payload.userCode!)).toBeUndefined();
      });

      it('the user code lookup reflects consumption', async () => {
        const id = newId();
        const payload = samplePayload('DeviceCode', id);
        await adapter('DeviceCode').upsert(id, payload, 600);
        await adapter('DeviceCode').consume(id);
        expect((await adapter('DeviceCode').findByUserCode(payload.userCode!))?.consumed).toEqual(expect.any(Number));
      });
    });

    describe('consume', () => {
      it.each(CONSUMABLE)('%s: consume sets `consumed` (epoch seconds), visible on find', async (model) => {
        const id = newId();
        const payload = samplePayload(model, id);
        await adapter(model).upsert(id, payload, 3600);
        const before = Math.floor(Date.now() / 1000);
        await adapter(model).consume(id);
        const after = Math.ceil(Date.now() / 1000);
        const found = await adapter(model).find(id);
        expect(found).toBeDefined();
        const { consumed, ...rest } = found!;
        expect(Number.isInteger(consumed)).toBe(true);
        expect(consumed).toBeGreaterThanOrEqual(before - 1);
        expect(consumed).toBeLessThanOrEqual(after + 1);
        expect(rest).toStrictEqual(payload);
      });

      it.each(CONSUMABLE)('%s: consume of a missing id is refused (and leaves no trace)', async (model) => {
        const id = newId('missing');
        await expect(adapter(model).consume(id)).rejects.toMatchObject({ error: model === 'PushedAuthorizationRequest' ? 'invalid_request_uri' : 'invalid_grant' });
        expect(await adapter(model).find(id)).toBeUndefined();
        // a record stored under that id later starts unconsumed
        const payload = samplePayload(model, id);
        await adapter(model).upsert(id, payload, 3600);
        expect(await adapter(model).find(id)).toStrictEqual(payload);
      });

      it.each(CONSUMABLE)('%s: a second consume is refused with the error oidc-provider gives a reused artifact', async (model) => {
        const id = newId();
        await adapter(model).upsert(id, samplePayload(model, id), 3600);
        await adapter(model).consume(id);
        const { consumed } = (await adapter(model).find(id))!;
        const error = await adapter(model).consume(id).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeDefined();
        expectErrorFor(model, error);
        // the refused consume did not move the first consumption's timestamp
        expect((await adapter(model).find(id))?.consumed).toBe(consumed);
      });

      it.each(CONSUMABLE)('%s: of 10 concurrent consumes of one record exactly one wins', async (model) => {
        const id = newId();
        await adapter(model).upsert(id, samplePayload(model, id), 3600);
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => adapter(model).consume(id)));
        const fulfilled = results.filter((r) => r.status === 'fulfilled');
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(9);
        for (const r of rejected) expectErrorFor(model, r.reason);
        expect((await adapter(model).find(id))?.consumed).toEqual(expect.any(Number));
      });

      it.each(GRANT_BOUND.filter((m) => CONSUMABLE.includes(m)))(
        '%s: the losers of a concurrent consume report the grant as reused; the winner does not',
        async (model) => {
          const id = newId();
          const grantId = newId('grant');
          await adapter(model).upsert(id, samplePayload(model, id, { grantId }), 3600);
          const results = await Promise.allSettled(Array.from({ length: 4 }, () => adapter(model).consume(id)));
          const losers = results.filter((r) => r.status === 'rejected').length;
          expect(losers).toBe(3);
          expect(reusedGrants.filter((g) => g === grantId)).toHaveLength(losers);
        },
      );

      it('a record without a grant is refused on reuse without reporting any grant', async () => {
        const id = newId();
        await adapter('PushedAuthorizationRequest').upsert(id, samplePayload('PushedAuthorizationRequest', id), 3600);
        const before = reusedGrants.length;
        await adapter('PushedAuthorizationRequest').consume(id);
        await expect(adapter('PushedAuthorizationRequest').consume(id)).rejects.toMatchObject({ error: 'invalid_request_uri' });
        expect(reusedGrants).toHaveLength(before);
      });

      it.each(CONSUMABLE)('%s: upsert after consume never clears `consumed`', async (model) => {
        const id = newId();
        await adapter(model).upsert(id, samplePayload(model, id), 3600);
        await adapter(model).consume(id);
        const { consumed } = (await adapter(model).find(id))!;
        const updated = samplePayload(model, id, { scope: 'openid updated' });
        await adapter(model).upsert(id, updated, 1800);
        expect(await adapter(model).find(id)).toStrictEqual({ ...updated, consumed });
        // even a payload that explicitly says "not consumed" does not un-consume it
        await adapter(model).upsert(id, { ...updated, consumed: undefined }, 1800);
        expect((await adapter(model).find(id))?.consumed).toBe(consumed);
        await expect(adapter(model).consume(id)).rejects.toBeDefined();
      });

      it.each(CONSUMABLE)('%s: consume of a destroyed record does not resurrect it', async (model) => {
        const id = newId();
        await adapter(model).upsert(id, samplePayload(model, id), 3600);
        await adapter(model).destroy(id);
        await expect(adapter(model).consume(id)).rejects.toBeInstanceOf(Error);
        expect(await adapter(model).find(id)).toBeUndefined();
        const again = samplePayload(model, id);
        await adapter(model).upsert(id, again, 3600);
        expect(await adapter(model).find(id)).toStrictEqual(again);
      });
    });

    describe('revokeByGrantId', () => {
      it.each(GRANT_BOUND)('%s: removes every record of the grant and only those', async (model) => {
        const grant = newId('grant');
        const other = newId('grant');
        const revoked = [newId(), newId(), newId()];
        const kept = [newId(), newId()];
        const payloads = new Map<string, AdapterPayload>();
        for (const [i, id] of revoked.entries()) {
          const p = samplePayload(model, id, { grantId: grant });
          payloads.set(id, p);
          // one without expiry, one with, one consumed
          await adapter(model).upsert(id, p, i === 0 ? undefined : 3600);
        }
        await adapter(model).consume(revoked[2]!);
        for (const id of kept) {
          const p = samplePayload(model, id, { grantId: other });
          payloads.set(id, p);
          await adapter(model).upsert(id, p, 3600);
        }
        const withoutGrant = newId();
        const noGrantPayload = samplePayload(model, withoutGrant);
        await adapter(model).upsert(withoutGrant, noGrantPayload, 3600);

        await adapter(model).revokeByGrantId(grant);

        for (const id of revoked) expect(await adapter(model).find(id)).toBeUndefined();
        for (const id of kept) expect(await adapter(model).find(id)).toStrictEqual(payloads.get(id));
        expect(await adapter(model).find(withoutGrant)).toStrictEqual(noGrantPayload);
        if (model === 'DeviceCode') {
          for (const id of revoked) expect(await adapter(model).findByUserCode(payloads.get(id)!.userCode!)).toBeUndefined();
          for (const id of kept) expect(await adapter(model).findByUserCode(payloads.get(id)!.userCode!)).toStrictEqual(payloads.get(id));
        }

        // a revoked grant stays revoked; a new record of it can be stored and revoked again
        await expect(adapter(model).revokeByGrantId(grant)).resolves.toBeUndefined();
        const late = newId();
        await adapter(model).upsert(late, samplePayload(model, late, { grantId: grant }), 3600);
        expect(await adapter(model).find(late)).toBeDefined();
        await adapter(model).revokeByGrantId(grant);
        expect(await adapter(model).find(late)).toBeUndefined();
      });

      it.each(GRANT_BOUND)('%s: a record re-upserted under another grant belongs to that grant only', async (model) => {
        const id = newId();
        const [g1, g2] = [newId('grant'), newId('grant')];
        await adapter(model).upsert(id, samplePayload(model, id, { grantId: g1 }), 3600);
        const moved = samplePayload(model, id, { grantId: g2 });
        await adapter(model).upsert(id, moved, 3600);
        await adapter(model).revokeByGrantId(g1);
        expect(await adapter(model).find(id)).toStrictEqual(moved);
        await adapter(model).revokeByGrantId(g2);
        expect(await adapter(model).find(id)).toBeUndefined();
      });

      it.each(GRANT_BOUND)('%s: revoking an unknown grant is a no-op', async (model) => {
        await expect(adapter(model).revokeByGrantId(newId('grant'))).resolves.toBeUndefined();
      });

      it.each(NOT_GRANT_BOUND)('%s (not grant-bound): revokeByGrantId is a harmless no-op', async (model) => {
        const grant = newId('grant');
        const id = newId();
        const payload = samplePayload(model, id, { grantId: grant });
        await adapter(model).upsert(id, payload, 3600);
        await expect(adapter(model).revokeByGrantId(grant)).resolves.toBeUndefined();
        expect(await adapter(model).find(id)).toStrictEqual(payload);
      });
    });

    describe('expiry', () => {
      it('a non-positive expiresIn means already expired, never "no expiry"', async () => {
        const ids = [newId(), newId()];
        await adapter('Interaction').upsert(ids[0]!, samplePayload('Interaction', ids[0]!), 0);
        await adapter('Interaction').upsert(ids[1]!, samplePayload('Interaction', ids[1]!), -30);
        await sleep(20);
        for (const id of ids) expect(await adapter('Interaction').find(id)).toBeUndefined();
      });

      // One real wait serves every expiry assertion: records are written, checked right away, then
      // checked again after their 1 s lifetime has passed.
      describe('after real time passes (expiresIn = 1 s)', () => {
        const ids = {
          expiring: newId(),
          permanent: newId(),
          extended: newId(),
          shortened: newId(),
          consumed: newId(),
          unconsumed: newId(),
          session: newId(),
          device: newId(),
          grantBound: newId(),
        };
        const sessionPayload = samplePayload('Session', ids.session);
        const devicePayload = samplePayload('DeviceCode', ids.device);
        const grant = newId('grant');
        const visibleAtOnce = new Map<string, boolean>();
        let elapsedMs = 0;

        beforeAll(async () => {
          const started = Date.now();
          const a = adapter;
          await a('AccessToken').upsert(ids.expiring, samplePayload('AccessToken', ids.expiring), 1);
          await a('AccessToken').upsert(ids.permanent, samplePayload('AccessToken', ids.permanent));
          await a('AccessToken').upsert(ids.extended, samplePayload('AccessToken', ids.extended), 1);
          await a('AccessToken').upsert(ids.extended, samplePayload('AccessToken', ids.extended), 3600);
          await a('AccessToken').upsert(ids.shortened, samplePayload('AccessToken', ids.shortened));
          await a('AccessToken').upsert(ids.shortened, samplePayload('AccessToken', ids.shortened), 1);
          await a('AuthorizationCode').upsert(ids.consumed, samplePayload('AuthorizationCode', ids.consumed), 1);
          await a('AuthorizationCode').consume(ids.consumed);
          await a('AuthorizationCode').upsert(ids.unconsumed, samplePayload('AuthorizationCode', ids.unconsumed), 1);
          await a('Session').upsert(ids.session, sessionPayload, 1);
          await a('DeviceCode').upsert(ids.device, devicePayload, 1);
          await a('RefreshToken').upsert(ids.grantBound, samplePayload('RefreshToken', ids.grantBound, { grantId: grant }), 1);
          for (const [key, id] of Object.entries(ids)) {
            const model = { expiring: 'AccessToken', permanent: 'AccessToken', extended: 'AccessToken', shortened: 'AccessToken', consumed: 'AuthorizationCode', unconsumed: 'AuthorizationCode', session: 'Session', device: 'DeviceCode', grantBound: 'RefreshToken' }[key]!;
            visibleAtOnce.set(key, (await a(model).find(id)) !== undefined);
          }
          elapsedMs = Date.now() - started;
          await sleep(1150);
        });

        it('every record was visible before its expiry', () => {
          expect(elapsedMs).toBeLessThan(900); // otherwise the "visible at once" checks were too late to mean anything
          expect(Object.fromEntries(visibleAtOnce)).toStrictEqual(Object.fromEntries(Object.keys(ids).map((k) => [k, true])));
        });

        it('a record upserted with expiresIn = 1 is gone; one without expiry stays', async () => {
          expect(await adapter('AccessToken').find(ids.expiring)).toBeUndefined();
          expect(await adapter('AccessToken').find(ids.permanent)).toBeDefined();
        });

        it('upsert overwrites the expiry in both directions', async () => {
          expect(await adapter('AccessToken').find(ids.extended)).toBeDefined();
          expect(await adapter('AccessToken').find(ids.shortened)).toBeUndefined();
        });

        it('consume does not resurrect an expired record, consumed or not', async () => {
          await expect(adapter('AuthorizationCode').consume(ids.unconsumed)).rejects.toBeInstanceOf(Error);
          await expect(adapter('AuthorizationCode').consume(ids.consumed)).rejects.toBeInstanceOf(Error);
          expect(await adapter('AuthorizationCode').find(ids.unconsumed)).toBeUndefined();
          expect(await adapter('AuthorizationCode').find(ids.consumed)).toBeUndefined();
        });

        it('a record stored again under an expired id starts fresh (not consumed)', async () => {
          const payload = samplePayload('AuthorizationCode', ids.consumed, { scope: 'again' });
          await adapter('AuthorizationCode').upsert(ids.consumed, payload, 60);
          expect(await adapter('AuthorizationCode').find(ids.consumed)).toStrictEqual(payload);
          await expect(adapter('AuthorizationCode').consume(ids.consumed)).resolves.toBeUndefined();
        });

        it('uid and user code lookups expire with their record', async () => {
          expect(await adapter('Session').findByUid(sessionPayload.uid!)).toBeUndefined();
          expect(await adapter('DeviceCode').findByUserCode(devicePayload.userCode!)).toBeUndefined();
        });

        it('an expired grant-bound record neither reappears nor breaks revokeByGrantId', async () => {
          await expect(adapter('RefreshToken').revokeByGrantId(grant)).resolves.toBeUndefined();
          expect(await adapter('RefreshToken').find(ids.grantBound)).toBeUndefined();
        });
      });
    });
  });
}
