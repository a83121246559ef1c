/**
 * rateLimitKey (server/http/middleware/token-rate-limit.ts) over a real HTTP request stream: it
 * identifies the client from Basic auth or the form body, and a peeked body must still reach
 * whoever parses it next, byte for byte, however it arrived.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKey } from '../../server/http/middleware/token-rate-limit.js';

const IP = '198.51.100.7';
const FORM = 'application/x-www-form-urlencoded';

type Reader = 'events' | 'iterator';

/** Reads the rest of a request the way body parsers do: 'data' events, or async iteration. */
async function readRest(req: IncomingMessage, reader: Reader): Promise<string> {
  const chunks: Buffer[] = [];
  if (reader === 'iterator') {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } else {
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(req, 'end');
  }
  return Buffer.concat(chunks).toString('utf8');
}

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const reader = (req.headers['x-reader'] as Reader | undefined) ?? 'events';
    const key = await rateLimitKey(req, IP);
    const body = await readRest(req, reader);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ key, body }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Sent {
  headers?: Record<string, string>;
  /** Sent one after another with a pause between, so the server sees separate chunks. */
  parts?: string[];
  /** Declare the length (default) or use chunked transfer encoding. */
  chunked?: boolean;
  reader?: Reader;
}

async function send({ headers = {}, parts = [], chunked = false, reader = 'events' }: Sent): Promise<{ key: string; body: string }> {
  const total = Buffer.byteLength(parts.join(''));
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/token',
    headers: { ...headers, 'x-reader': reader, ...(chunked ? {} : { 'content-length': String(total) }) },
  });
  const response = once(req, 'response') as Promise<[IncomingMessage]>;
  for (const [index, part] of parts.entries()) {
    if (index > 0) await sleep(30);
    req.write(part);
  }
  req.end();
  const [res] = await response;
  return JSON.parse(await readRest(res, 'events')) as { key: string; body: string };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('rateLimitKey', () => {
  it('keys HTTP Basic clients by client id, leaving the body untouched', async () => {
    const body = 'grant_type=client_credentials&scope=orders%3Aread';
    expect(await send({ headers: { authorization: basic('service', 'secret'), 'content-type': FORM }, parts: [body] })).toEqual({
      key: 'token:client:service',
      body,
    });
  });

  it('form-decodes the Basic client id (RFC 6749 §2.3.1)', async () => {
    expect((await send({ headers: { authorization: basic('my+client%3A1', 's') }, parts: ['grant_type=client_credentials'] })).key).toBe(
      'token:client:my client:1',
    );
  });

  it('keys a client authenticating in the body by client id, and the body is still fully readable', async () => {
    const body = 'grant_type=client_credentials&client_id=service&client_secret=s3cr3t&scope=a%20b';
    expect(await send({ headers: { 'content-type': FORM }, parts: [body] })).toEqual({ key: 'token:client:service', body });
    expect(await send({ headers: { 'content-type': `${FORM}; charset=utf-8` }, parts: [body], reader: 'iterator' })).toEqual({ key: 'token:client:service', body });
  });

  it('treats a client assertion like a secret', async () => {
    const body = 'grant_type=client_credentials&client_id=jwt-client&client_assertion_type=x&client_assertion=eyJ.eyJ.sig';
    expect((await send({ headers: { 'content-type': FORM }, parts: [body] })).key).toBe('token:client:jwt-client');
  });

  it('keys a public client by client id and IP', async () => {
    const body = 'grant_type=authorization_code&client_id=spa&code=abc&code_verifier=xyz&redirect_uri=http%3A%2F%2Flocalhost%2Fcb';
    expect(await send({ headers: { 'content-type': FORM }, parts: [body] })).toEqual({ key: `token:client:spa:ip:${IP}`, body });
  });

  it('peeks a body that arrives in several chunks and hands all of it on', async () => {
    const parts = ['grant_type=refresh_token&refresh', '_token=abcdef&client_id=sp', 'a&extra=', 'x'.repeat(2000)];
    for (const reader of ['events', 'iterator'] as const) {
      expect(await send({ headers: { 'content-type': FORM }, parts, reader })).toEqual({ key: `token:client:spa:ip:${IP}`, body: parts.join('') });
    }
  });

  it('keeps multi-byte characters intact across chunk boundaries', async () => {
    const body = `client_id=caf%C3%A9&client_secret=${encodeURIComponent('pässwörd')}&note=${'é'.repeat(10)}`;
    const bytes = Buffer.from(body);
    // Split inside a two-byte character.
    const split = bytes.indexOf(Buffer.from('é')) + 1;
    const parts = [bytes.subarray(0, split).toString('latin1'), bytes.subarray(split).toString('latin1')];
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/token', headers: { 'content-type': FORM, 'content-length': String(bytes.length) } });
    const response = once(req, 'response') as Promise<[IncomingMessage]>;
    req.write(Buffer.from(parts[0]!, 'latin1'));
    await sleep(30);
    req.end(Buffer.from(parts[1]!, 'latin1'));
    const [res] = await response;
    expect(JSON.parse(await readRest(res, 'events'))).toEqual({ key: 'token:client:café', body });
  });

  it('falls back to the IP without a client id, for other content types, and for chunked or oversized bodies', async () => {
    const ipKey = `token:ip:${IP}`;
    expect((await send({ headers: { 'content-type': FORM }, parts: ['grant_type=client_credentials'] })).key).toBe(ipKey);
    expect((await send({ headers: { 'content-type': 'application/json' }, parts: ['{"client_id":"x"}'] })).key).toBe(ipKey);
    expect((await send({ headers: { 'content-type': FORM }, parts: [] })).key).toBe(ipKey);
    const chunked = await send({ headers: { 'content-type': FORM }, parts: ['client_id=a&client_secret=b'], chunked: true });
    expect(chunked).toEqual({ key: ipKey, body: 'client_id=a&client_secret=b' });
    const big = `client_id=a&client_secret=b&pad=${'x'.repeat(60 * 1024)}`;
    expect(await send({ headers: { 'content-type': FORM }, parts: [big] })).toEqual({ key: ipKey, body: big });
  });
});
