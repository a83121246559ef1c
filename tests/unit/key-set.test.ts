/** server/modules/keys/domain/key-set.ts: which keys are published, rotated and deleted, and when. */
import { describe, expect, it } from 'vitest';
import {
  expiredKeys,
  keySetVersion,
  missingAlgs,
  planRotation,
  publishedKeys,
  type KeyRecord,
} from '../../server/modules/keys/domain/key-set.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);

function key(kid: string, alg: KeyRecord['alg'], status: KeyRecord['status'], createdAgo: number, verifyUntil: Date | null = null): KeyRecord {
  return { kid, alg, status, createdAt: at(-createdAgo), verifyUntil };
}

describe('publishedKeys', () => {
  it('publishes active keys newest first, then retired keys still in their overlap, newest first', () => {
    const keys = [
      key('rs-retired-old', 'RS256', 'retired', 5000, at(100)),
      key('rs-active-old', 'RS256', 'active', 3000),
      key('es-active', 'ES256', 'active', 2000),
      key('rs-retired-new', 'RS256', 'retired', 4000, at(200)),
      key('rs-active-new', 'RS256', 'active', 1000),
    ];
    expect(publishedKeys(keys, NOW).map((k) => k.kid)).toEqual([
      'rs-active-new',
      'es-active',
      'rs-active-old',
      'rs-retired-new',
      'rs-retired-old',
    ]);
  });

  it('drops retired keys whose overlap has ended, or that never had one', () => {
    const keys = [
      key('active', 'ES256', 'active', 10),
      key('ends-now', 'ES256', 'retired', 50, NOW),
      key('ended', 'ES256', 'retired', 60, at(-1)),
      key('no-overlap', 'ES256', 'retired', 70, null),
      key('still-valid', 'ES256', 'retired', 80, at(1)),
    ];
    expect(publishedKeys(keys, NOW).map((k) => k.kid)).toEqual(['active', 'still-valid']);
  });

  it('keeps the caller’s record type and does not reorder the input', () => {
    const keys = [
      { ...key('a', 'RS256', 'active', 20), extra: 1 },
      { ...key('b', 'RS256', 'active', 10), extra: 2 },
    ];
    const published = publishedKeys(keys, NOW);
    expect(published.map((k) => k.extra)).toEqual([2, 1]);
    expect(keys.map((k) => k.kid)).toEqual(['a', 'b']);
  });
});

describe('missingAlgs', () => {
  it('lists every algorithm on an empty set', () => {
    expect(missingAlgs([])).toEqual(['RS256', 'ES256']);
  });

  it('counts only active keys', () => {
    expect(missingAlgs([key('r', 'RS256', 'retired', 1, at(100)), key('e', 'ES256', 'active', 1)])).toEqual(['RS256']);
    expect(missingAlgs([key('r', 'RS256', 'active', 1), key('e', 'ES256', 'active', 1)])).toEqual([]);
  });
});

describe('planRotation', () => {
  it('retires every active key, keeps it verifying for the overlap, and generates one key per algorithm', () => {
    const keys = [
      key('rs', 'RS256', 'active', 100),
      key('es', 'ES256', 'active', 100),
      key('old', 'RS256', 'retired', 900, at(50)),
    ];
    const plan = planRotation(keys, NOW, 172_800);
    expect(plan.retire.sort()).toEqual(['es', 'rs']);
    expect(plan.verifyUntil).toEqual(at(172_800));
    expect(plan.generate).toEqual(['RS256', 'ES256']);
  });

  it('generates keys even when none exist yet', () => {
    expect(planRotation([], NOW, 60)).toEqual({ retire: [], verifyUntil: at(60), generate: ['RS256', 'ES256'] });
  });
});

describe('expiredKeys', () => {
  it('returns retired keys at or past their overlap end, never active ones', () => {
    const keys = [
      key('active', 'RS256', 'active', 10_000),
      key('ends-now', 'RS256', 'retired', 10, NOW),
      key('ended', 'RS256', 'retired', 10, at(-60)),
      key('no-overlap', 'ES256', 'retired', 10, null),
      key('still-valid', 'ES256', 'retired', 10, at(60)),
    ];
    expect(expiredKeys(keys, NOW).sort()).toEqual(['ended', 'ends-now', 'no-overlap']);
  });

  it('is the complement of the retired keys publishedKeys keeps', () => {
    const keys = [
      key('a', 'RS256', 'retired', 1, at(-1)),
      key('b', 'RS256', 'retired', 1, at(1)),
      key('c', 'ES256', 'retired', 1, null),
    ];
    const published = publishedKeys(keys, NOW).map((k) => k.kid);
    const expired = expiredKeys(keys, NOW);
    expect([...published, ...expired].sort()).toEqual(['a', 'b', 'c']);
    expect(published.filter((kid) => expired.includes(kid))).toEqual([]);
  });
});

describe('keySetVersion', () => {
  const set = [key('k1', 'RS256', 'active', 10), key('k2', 'ES256', 'active', 10)];

  it('does not depend on order', () => {
    expect(keySetVersion(set)).toBe(keySetVersion([...set].reverse()));
  });

  it('changes when a key is added, removed or retired', () => {
    const base = keySetVersion(set);
    expect(keySetVersion([...set, key('k3', 'RS256', 'active', 1)])).not.toBe(base);
    expect(keySetVersion(set.slice(0, 1))).not.toBe(base);
    expect(keySetVersion([{ ...set[0]!, status: 'retired', verifyUntil: at(10) }, set[1]!])).not.toBe(base);
  });

  it('ignores timestamps, which every process reads identically anyway', () => {
    expect(keySetVersion([{ ...set[0]!, createdAt: at(-99) }, set[1]!])).toBe(keySetVersion(set));
  });
});
