/**
 * Pins adapters/oidc/models.ts to the installed oidc-provider: which models it persists through
 * adapters, which it binds to a grant and which it consumes. Each fact is derived from
 * oidc-provider itself (its public API or its source text), so an upgrade that changes one of
 * them fails here instead of silently mis-storing a model.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Provider, { errors, type Adapter } from 'oidc-provider';
import {
  alreadyConsumed,
  CONSUMABLE_MODELS,
  GRANT_BOUND_MODELS,
  isModelName,
  MODEL_NAMES,
  MODEL_STORE,
} from '../../adapters/oidc/models.js';

const require = createRequire(import.meta.url);
// oidc-provider's package.json does not export ./package.json; find it from the entry point.
function packageRoot(): string {
  let dir = dirname(require.resolve('oidc-provider'));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'oidc-provider') return dir;
    } catch {
      // not here; go up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('oidc-provider package.json not found');
    dir = parent;
  }
}
const root = packageRoot();
const read = (relative: string) => readFileSync(join(root, relative), 'utf8');
const sorted = (values: Iterable<string>) => [...values].sort();

describe('adapters/oidc/models.ts matches the installed oidc-provider', () => {
  it('oidc-provider is a 9.x release (re-check every fact below on a major upgrade)', () => {
    const { version } = JSON.parse(read('package.json')) as { version: string };
    expect(version).toMatch(/^9\.\d+\.\d+(?:-[\w.]+)?$/);
  });

  it('MODEL_NAMES is exactly the set of models the provider persists through its adapter', () => {
    // oidc-provider asks the adapter factory for a model's adapter lazily, the first time that
    // model class reads its static `adapter`. Touch every model class the provider exposes.
    const requested = new Set<string>();
    const recording = (name: string): Adapter => {
      requested.add(name);
      const fail = () => Promise.reject(new Error(`unexpected storage call for ${name}`));
      return { upsert: fail, find: fail, findByUid: fail, findByUserCode: fail, consume: fail, destroy: fail, revokeByGrantId: fail };
    };
    const provider = new Provider('http://localhost:3000', { adapter: recording });

    const exposed = Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(provider)))
      .filter(([key, d]) => typeof d.get === 'function' && /^[A-Z]/.test(key))
      .map(([key]) => (provider as unknown as Record<string, unknown>)[key])
      .filter((v): v is { name: string; adapter: unknown } => typeof v === 'function' && 'adapter' in v);
    // Abstract bases (BaseToken) have `adapter` too but are never stored: drop every class that
    // another exposed class extends.
    const bases = new Set(exposed.map((cls) => Object.getPrototypeOf(cls) as unknown));
    const concrete = exposed.filter((cls) => !bases.has(cls));
    expect(concrete.length).toBeGreaterThan(10); // the derivation found the models at all

    for (const cls of concrete) void cls.adapter;
    expect(sorted(requested)).toStrictEqual(sorted(concrete.map((cls) => cls.name)));
    expect(sorted(requested)).toStrictEqual(sorted(MODEL_NAMES));
  });

  it("GRANT_BOUND_MODELS equals the reference adapter's `grantable` set", () => {
    const source = read('lib/adapters/memory_adapter.js');
    const literal = /const grantable = new Set\(\[([^\]]*)\]\)/.exec(source)?.[1];
    expect(literal, 'grantable Set literal in memory_adapter.js').toBeDefined();
    const grantable = [...literal!.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1]!);
    expect(grantable.length).toBeGreaterThan(0);
    expect(sorted(GRANT_BOUND_MODELS)).toStrictEqual(sorted(grantable));
  });

  it('CONSUMABLE_MODELS covers exactly the model classes that define `async consume()`', () => {
    const dir = join(root, 'lib/models');
    const consumable: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      if (!/^\s*async consume\(\)/m.test(source)) continue;
      const cls = /class (\w+)/.exec(source)?.[1];
      expect(cls, `class name in ${file}`).toBeDefined();
      consumable.push(cls!);
    }
    expect(consumable.length).toBeGreaterThan(0);
    expect(sorted(CONSUMABLE_MODELS.keys())).toStrictEqual(sorted(consumable));
  });

  it('every consumable and grant-bound model is a known model', () => {
    for (const name of [...CONSUMABLE_MODELS.keys(), ...GRANT_BOUND_MODELS]) expect(isModelName(name)).toBe(true);
    expect(isModelName('BaseToken')).toBe(false);
    expect(isModelName('toString')).toBe(false);
    expect(Object.keys(MODEL_STORE)).toStrictEqual(MODEL_NAMES);
  });

  it('a lost consume race gets the error oidc-provider gives a reused artifact', () => {
    // PAR reuse is refused in lib/actions/authorization/respond.js with InvalidRequestUri; every
    // other consumable is a grant whose reuse is an InvalidGrant.
    expect(read('lib/actions/authorization/respond.js')).toMatch(/pushedAuthorizationRequest\?\.consumed\)\s*\{\s*throw new InvalidRequestUri/);
    for (const model of CONSUMABLE_MODELS.keys()) {
      const error = alreadyConsumed(model);
      expect(error).toBeInstanceOf(model === 'PushedAuthorizationRequest' ? errors.InvalidRequestUri : errors.InvalidGrant);
    }
    expect(alreadyConsumed('Session')).not.toBeInstanceOf(errors.OIDCProviderError);
  });
});
