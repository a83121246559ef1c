/**
 * The federation ports against every SQL database: linked identities (one per upstream issuer
 * and subject, listed per user, touched, removed only by their owner) and upstream requests in
 * flight (peeked without consuming, taken once even when raced, expired ones neither peeked nor
 * taken and purged, an identity held for linking until released).
 */
import { expect, it } from 'vitest';
import { createFederatedIdentityRepository } from '../../adapters/db/federated-identities-repository.js';
import { createFederationRequestRepository } from '../../adapters/db/federation-requests-repository.js';
import { createUserRepository } from '../../adapters/db/users-repository.js';
import type { FederationRequest, UpstreamIdentity } from '../../server/modules/federation/index.js';
import { onEveryDatabase } from '../helpers/stores.js';

const GOOGLE = 'https://accounts.google.com';
const upstream: UpstreamIdentity = { providerId: 'google', issuer: GOOGLE, subject: 'g-1', email: 'ann@example.com', emailVerified: true, name: 'Ann', preferredUsername: undefined, amr: ['pwd'] };
const request = (stateHash: string, binding: FederationRequest['binding'], expiresAt: Date): FederationRequest => ({ stateHash, binding, providerId: 'google', nonce: `n-${stateHash}`, codeVerifier: `v-${stateHash}`, expiresAt });

onEveryDatabase('federation ports', (database) => {
  const identities = () => createFederatedIdentityRepository(database().knex);
  const requests = () => createFederationRequestRepository(database().knex);
  const user = async (id: string) => {
    await createUserRepository(database().knex).create({ id, username: id, email: null, emailVerified: false, profile: {} });
    return id;
  };

  it('links one identity per issuer and subject, lists them per user, touches and removes only the owner\'s', async () => {
    const ann = await user('ann');
    const bob = await user('bob');
    const first = await identities().create({ id: 'fi-1', userId: ann, providerId: 'google', issuer: GOOGLE, subject: 'g-1', email: 'ann@example.com', createdAt: new Date('2026-01-01T00:00:00Z') });
    expect(first.lastUsedAt).toEqual(new Date('2026-01-01T00:00:00Z'));
    await identities().create({ id: 'fi-2', userId: ann, providerId: 'corp', issuer: 'https://id.corp.example', subject: 'g-1', email: null, createdAt: new Date('2026-01-02T00:00:00Z') });
    await expect(identities().create({ id: 'fi-3', userId: bob, providerId: 'google', issuer: GOOGLE, subject: 'g-1', email: null, createdAt: new Date() })).rejects.toMatchObject({ code: 'conflict' });
    expect(await identities().find(GOOGLE, 'g-1')).toMatchObject({ id: 'fi-1', userId: ann, providerId: 'google', email: 'ann@example.com' });
    expect(await identities().find(GOOGLE, 'g-2')).toBeUndefined();
    expect((await identities().listForUser(ann)).map((i) => i.id)).toEqual(['fi-1', 'fi-2']);
    expect(await identities().listForUser(bob)).toEqual([]);
    await identities().touch('fi-1', new Date('2026-02-01T00:00:00Z'));
    expect((await identities().find(GOOGLE, 'g-1'))?.lastUsedAt).toEqual(new Date('2026-02-01T00:00:00Z'));
    expect(await identities().remove(bob, 'fi-1')).toBe(false);
    expect(await identities().remove(ann, 'fi-1')).toBe(true);
    expect(await identities().remove(ann, 'fi-1')).toBe(false);
    expect((await identities().listForUser(ann)).map((i) => i.id)).toEqual(['fi-2']);
  });

  it('peeks a live request without consuming it and takes it once, even when raced', async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 600_000);
    await requests().create(request('s-live', { interactionUid: 'ia-1' }, later), now);
    await requests().create(request('s-link', { userId: 'ann' }, later), now);
    expect(await requests().peek('s-live', now)).toEqual({ interactionUid: 'ia-1' });
    expect(await requests().peek('s-link', now)).toEqual({ userId: 'ann' });
    expect(await requests().peek('s-unknown', now)).toBeUndefined();
    const raced = await Promise.all([requests().take('s-live', now), requests().take('s-live', now), requests().take('s-live', now)]);
    const taken = raced.filter((r) => r !== undefined);
    expect(taken).toEqual([{ stateHash: 's-live', binding: { interactionUid: 'ia-1' }, providerId: 'google', nonce: 'n-s-live', codeVerifier: 'v-s-live', expiresAt: later }]);
    expect(await requests().peek('s-live', now)).toBeUndefined();
    expect(await requests().take('s-live', now)).toBeUndefined();
  });

  it('neither peeks nor takes an expired request, and purges expired ones', async () => {
    const now = new Date();
    await requests().create(request('s-old', { interactionUid: 'ia-old' }, new Date(now.getTime() - 1000)), new Date(now.getTime() - 600_000));
    await requests().create(request('s-new', { interactionUid: 'ia-new' }, new Date(now.getTime() + 600_000)), now);
    expect(await requests().peek('s-old', now)).toBeUndefined();
    expect(await requests().take('s-old', now)).toBeUndefined();
    const purged = await requests().purge(now);
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await requests().purge(now)).toBe(0);
    expect(await requests().peek('s-new', now)).toEqual({ interactionUid: 'ia-new' });
  });

  it('holds a verified identity for linking per interaction until released or expired', async () => {
    const now = new Date();
    await requests().create(request('s-hold', { interactionUid: 'ia-hold' }, new Date(now.getTime() + 600_000)), now);
    expect(await requests().heldForLink('ia-hold', now)).toBeUndefined();
    await requests().holdForLink('s-hold', upstream, 'ann');
    expect(await requests().heldForLink('ia-hold', now)).toEqual({ identity: upstream, userId: 'ann' });
    expect(await requests().heldForLink('ia-hold', new Date(now.getTime() + 700_000))).toBeUndefined();
    expect(await requests().heldForLink('ia-other', now)).toBeUndefined();
    await requests().releaseLink('ia-hold');
    expect(await requests().heldForLink('ia-hold', now)).toBeUndefined();
    expect(await requests().peek('s-hold', now)).toBeUndefined();
  });
});
