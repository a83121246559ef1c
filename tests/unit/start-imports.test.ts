/**
 * A start pays only for what it uses: loading the server (server/start.ts and everything it
 * imports) resolves none of the SMS, email and passkey SDKs; each adapter imports its SDK at
 * first use. A Node child process records every module it resolves through a loader hook; the
 * same script then verifies a Twilio signature, and the recorder must see the SDK load then, so
 * the check can fail.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { projectRoot } from '../../config/paths.js';

const LAZY = ['/node_modules/twilio/', '/node_modules/@aws-sdk/', '/node_modules/nodemailer/', '/node_modules/@simplewebauthn/server/'];

const recorder = `
const hook = 'export async function initialize({ port }) { globalThis.port = port; }'
  + 'export async function resolve(specifier, context, next) { const r = await next(specifier, context); globalThis.port.postMessage(r.url); return r; }';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on('message', (url) => seen.push(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(hook), import.meta.url, { data: { port: port2 }, transferList: [port2] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const lazy = ${JSON.stringify(LAZY)};
const loaded = () => lazy.filter((part) => seen.some((url) => url.includes(part)));
await import('./server/start.ts');
await settle();
const atStart = loaded();
const { verifyTwilioSignature } = await import('./adapters/twilio/sms.ts');
const valid = await verifyTwilioSignature('token', 'not-a-signature', 'https://id.example.com/cb', { MessageSid: 'SM1' });
await settle();
process.stdout.write(JSON.stringify({ atStart, afterUse: loaded(), valid }));
`;

it('loading the server imports no SMS, email or passkey SDK; the Twilio adapter imports its SDK when first used', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', recorder], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 150_000,
  });
  expect(result.status, result.stderr).toBe(0);
  const outcome = JSON.parse(result.stdout) as { atStart: string[]; afterUse: string[]; valid: boolean };
  expect(outcome.atStart).toEqual([]);
  expect(outcome.afterUse).toEqual(['/node_modules/twilio/']);
  expect(outcome.valid).toBe(false);
}, 180_000);
