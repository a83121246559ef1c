/**
 * Tracing off costs nothing: with OTEL_EXPORTER_OTLP_ENDPOINT unset, starting tracing (and
 * loading the logger and the password hasher, which hold the tracing port) resolves no
 * @opentelemetry module. A Node child process records every module it resolves through a
 * loader hook; with the endpoint set the same script does load the SDK, so the check can fail.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../config/paths.js';
import { tracingSettings } from '../../../config/telemetry.js';

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
const { tracingSettings } = await import('./config/telemetry.ts');
const { startTracing } = await import('./adapters/telemetry/bootstrap.ts');
await import('./adapters/logging/pino-logger.ts');
await import('./adapters/crypto/password-hasher.ts');
const tracing = await startTracing(tracingSettings());
await tracing?.shutdown();
await new Promise((resolve) => setTimeout(resolve, 200));
process.stdout.write(JSON.stringify({ started: Boolean(tracing), otel: seen.filter((url) => url.includes('@opentelemetry')).length }));
`;

function run(env: Record<string, string>): { started: boolean; otel: number } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', recorder], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { started: boolean; otel: number };
}

describe('tracing bootstrap', () => {
  it('reads the endpoint through config: unset and empty mean off', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SERVICE_NAME: 'oidc-server' });
  });

  it('unset: returns without importing any @opentelemetry module', () => {
    expect(run({})).toEqual({ started: false, otel: 0 });
  }, 150_000);

  it('set: imports the SDK (the recorder sees it)', () => {
    // Nothing listens on port 9: the exporter's failure to send is not this test's concern.
    const loaded = run({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(loaded.started).toBe(true);
    expect(loaded.otel).toBeGreaterThan(0);
  }, 150_000);
});
