/**
 * Slow clients are cut off (issue 11, defect 11): sockets that trickle their headers (slowloris)
 * are closed after HTTP_HEADERS_TIMEOUT, a body that never finishes after HTTP_REQUEST_TIMEOUT,
 * and an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT — here set to a few seconds.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/loader.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ seed: false, env: { HTTP_HEADERS_TIMEOUT: '2', HTTP_REQUEST_TIMEOUT: '4', HTTP_KEEP_ALIVE_TIMEOUT: '1' } });
});
afterAll(async () => {
  await op?.stop();
});

/** Opens a socket to the provider; resolves `closed` with the seconds it stayed open. */
function open(): Promise<{ socket: Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(op.issuer);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      const started = Date.now();
      const closed = new Promise<number>((done) => socket.once('close', () => done((Date.now() - started) / 1000)));
      resolve({ socket, closed });
    });
    socket.once('error', reject);
    socket.on('data', () => undefined);
  });
}

/** Writes one more header line every half second until the socket closes. */
function trickleHeaders(socket: Socket): () => void {
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  let n = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(`X-Slow-${(n += 1)}: a\r\n`);
  }, 500);
  return () => clearInterval(timer);
}

// Timeouts are checked every quarter of the headers timeout; generous slack for a loaded machine.
const SLACK_SECONDS = 6;

describe('slow clients', () => {
  it('closes sockets that send their headers slowly', async () => {
    const sockets = await Promise.all(Array.from({ length: 5 }, () => open()));
    const stops = sockets.map(({ socket }) => trickleHeaders(socket));
    try {
      const lifetimes = await Promise.all(sockets.map(({ closed }) => closed));
      for (const seconds of lifetimes) {
        expect(seconds).toBeGreaterThanOrEqual(1.5);
        expect(seconds).toBeLessThan(2 + SLACK_SECONDS);
      }
    } finally {
      stops.forEach((stop) => stop());
    }
  }, 30_000);

  it('closes a request whose body never finishes', async () => {
    const { socket, closed } = await open();
    socket.write('POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=');
    const timer = setInterval(() => !socket.destroyed && socket.write('a'), 500);
    try {
      expect(await closed).toBeLessThan(4 + SLACK_SECONDS);
    } finally {
      clearInterval(timer);
    }
  }, 30_000);

  it('closes an idle keep-alive connection', async () => {
    const { socket, closed } = await open();
    let answered = '';
    socket.on('data', (chunk) => (answered += String(chunk)));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const seconds = await closed;
    expect(answered).toMatch(/^HTTP\/1\.1 200/);
    expect(seconds).toBeLessThan(1 + SLACK_SECONDS);
  }, 30_000);
});

describe('defaults', () => {
  it('are 10 s for headers, 30 s for the request and 65 s for keep-alive', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).http).toEqual({ headersTimeoutSeconds: 10, requestTimeoutSeconds: 30, keepAliveTimeoutSeconds: 65 });
  });
});
