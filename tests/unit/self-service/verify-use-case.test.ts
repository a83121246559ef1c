import { describe, expect, it } from 'vitest';
import { sendVerification, verifyByCode, verifyByLink, type VerifyDeps } from '../../../server/modules/self-service/index.js';
import { world } from './fakes.js';

function setup() {
  const w = world();
  return { ...w, deps: w.deps as unknown as VerifyDeps & Parameters<typeof sendVerification>[0] };
}

async function issue(w: ReturnType<typeof setup>) {
  const result = await sendVerification(w.deps, { kind: 'verify_email', user: w.user, target: w.user.email! }, w.context);
  if (!result.sent) throw new Error('not sent');
  const message = w.sent.at(-1)!;
  return { flowId: result.flowId, code: message.data.code!, token: new URL(message.data.link!).searchParams.get('token')! };
}

describe('verification use cases', () => {
  it('stores only digests of the link token and the code', async () => {
    const w = setup();
    const { flowId, code, token } = await issue(w);
    const stored = JSON.stringify(await w.deps.flows.findById(flowId));
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(token);
    expect(w.events.map((e) => e.type)).toEqual(['user.email.verification_sent']);
  });

  it('a code works once', async () => {
    const w = setup();
    const { flowId, code } = await issue(w);
    expect((await verifyByCode(w.deps, flowId, code, w.context)).outcome).toBe('verified');
    expect(w.users.get('u1')?.emailVerified).toBe(true);
    expect((await verifyByCode(w.deps, flowId, code, w.context)).outcome).toBe('invalid');
  });

  it('a link works once, and spends the code of the same flow', async () => {
    const w = setup();
    const { flowId, code, token } = await issue(w);
    expect((await verifyByLink(w.deps, token, w.context)).outcome).toBe('verified');
    expect((await verifyByLink(w.deps, token, w.context)).outcome).toBe('invalid');
    expect((await verifyByCode(w.deps, flowId, code, w.context)).outcome).toBe('invalid');
  });

  it('expires: neither link nor code works after the lifetime', async () => {
    const w = setup();
    const { flowId, code, token } = await issue(w);
    w.clock.current = new Date(w.clock.current.getTime() + 601_000);
    expect((await verifyByLink(w.deps, token, w.context)).outcome).toBe('expired');
    expect((await verifyByCode(w.deps, flowId, code, w.context)).outcome).toBe('invalid');
    expect(w.users.get('u1')?.emailVerified).toBe(false);
  });

  it('locks after five wrong codes and audits the failures', async () => {
    const w = setup();
    const { flowId, code } = await issue(w);
    const outcomes = [];
    for (let i = 0; i < 5; i += 1) outcomes.push((await verifyByCode(w.deps, flowId, code === '111111' ? '222222' : '111111', w.context)).outcome);
    expect(outcomes).toEqual(['wrong_code', 'wrong_code', 'wrong_code', 'wrong_code', 'locked']);
    expect((await verifyByCode(w.deps, flowId, code, w.context)).outcome).toBe('invalid');
    expect(w.events.filter((e) => e.type === 'user.verification.failed')).toHaveLength(5);
  });

  it('a newer message supersedes the older secrets', async () => {
    const w = setup();
    const first = await issue(w);
    const second = await issue(w);
    expect((await verifyByLink(w.deps, first.token, w.context)).outcome).toBe('invalid');
    expect((await verifyByCode(w.deps, second.flowId, second.code, w.context)).outcome).toBe('verified');
  });

  it('is rate-limited per address', async () => {
    const w = setup();
    for (let i = 0; i < 3; i += 1) await issue(w);
    const fourth = await sendVerification(w.deps, { kind: 'verify_email', user: w.user, target: w.user.email! }, w.context);
    expect(fourth.sent).toBe(false);
    expect(w.sent).toHaveLength(3);
  });

  it('a code for one account does not verify a flow of another', async () => {
    const w = setup();
    const { flowId, code } = await issue(w);
    expect((await verifyByCode(w.deps, flowId, code, w.context, 'someone-else')).outcome).toBe('wrong_code');
  });

  it('a proof no longer applies once the account changed its email meanwhile', async () => {
    const w = setup();
    const { token } = await issue(w);
    await w.deps.users.update('u1', { email: 'other@example.com' });
    expect((await verifyByLink(w.deps, token, w.context)).outcome).toBe('invalid');
    expect(w.users.get('u1')?.emailVerified).toBe(false);
  });
});
