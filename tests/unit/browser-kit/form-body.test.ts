/**
 * The kit's form parser: a url-encoded UTF-8 body is parsed strictly; a false Content-Encoding,
 * another media type, an oversized, malformed or falsely encoded body is a 4xx, never a 500.
 */
import { gzipSync } from 'node:zlib';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_LIMIT_BYTES, formBody, formParser } from '../../../server/http/browser/form-body.js';
import { serve, type Served } from './serve.js';

let served: Served;
beforeAll(async () => {
  const router = new Router();
  router.use(formParser());
  router.post('/form', (ctx) => { ctx.body = formBody(ctx); });
  served = await serve(['form-test-key'], router);
});
afterAll(() => served?.close());

const FORM = 'application/x-www-form-urlencoded';

async function post(body: RequestInit['body'], headers: Record<string, string> = { 'content-type': FORM }) {
  const response = await fetch(`${served.base}/form`, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) });
  const text = await response.text();
  return { status: response.status, body: response.status === 200 ? (JSON.parse(text) as unknown) : text };
}

describe('form parser', () => {
  it('parses a url-encoded UTF-8 form: + and %XX, multi-byte characters, repeated names, empty values', async () => {
    expect(await post('csrf=a.b&name=J%C3%BCrgen+M%C3%BCller&raw=Jürgen&emoji=%F0%9F%98%80&x=1&x=2&empty=&bare')).toEqual({
      status: 200,
      body: { csrf: 'a.b', name: 'Jürgen Müller', raw: 'Jürgen', emoji: '😀', x: ['1', '2'], empty: '', bare: '' },
    });
    expect(await post('a=1', { 'content-type': `${FORM}; charset=UTF-8` })).toEqual({ status: 200, body: { a: '1' } });
  });

  it('keeps names verbatim: no nesting, __proto__ is an ordinary field', async () => {
    expect(await post('a%5Bb%5D=1&__proto__=x&constructor=y')).toEqual({ status: 200, body: JSON.parse('{"a[b]":"1","__proto__":"x","constructor":"y"}') as unknown });
  });

  it('gives an empty form for a POST without a body', async () => {
    expect(await post(undefined, {})).toEqual({ status: 200, body: {} });
  });

  it('refuses a false Content-Encoding: gzip on a plain url-encoded body with 415', async () => {
    expect(await post('csrf=abc&login=alice', { 'content-type': FORM, 'content-encoding': 'gzip' })).toEqual({ status: 415, body: 'unsupported_form' });
  });

  it('refuses a real gzip body and any other coding with 415', async () => {
    expect((await post(gzipSync('csrf=abc'), { 'content-type': FORM, 'content-encoding': 'gzip' })).status).toBe(415);
    for (const coding of ['br', 'deflate', 'zstd', 'x-unknown', 'gzip, identity']) {
      expect((await post('csrf=abc', { 'content-type': FORM, 'content-encoding': coding })).status, coding).toBe(415);
    }
    expect((await post('a=1', { 'content-type': FORM, 'content-encoding': 'identity' })).status).toBe(200);
  });

  it('refuses JSON, multipart, text and another charset with 415', async () => {
    expect(await post('{"csrf":"abc"}', { 'content-type': 'application/json' })).toEqual({ status: 415, body: 'unsupported_form' });
    const multipart = new FormData();
    multipart.set('csrf', 'abc');
    expect((await post(multipart, {})).status).toBe(415);
    expect((await post('csrf=abc', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('csrf=abc', { 'content-type': `${FORM}; charset=iso-8859-1` })).status).toBe(415);
    expect((await post('csrf=abc', { 'content-type': '' })).status).toBe(415);
  });

  it('refuses malformed percent-encoding, bytes that are not UTF-8 and NUL with 400', async () => {
    for (const body of ['name=%', 'name=%zz', 'name=%4', 'na%G1me=x', 'name=%C3%28', 'name=%ED%A0%80', 'name=%00', 'a%00=1', 'name=%FF']) {
      expect(await post(body), body).toEqual({ status: 400, body: 'unreadable_form' });
    }
    expect(await post(Buffer.from([0x61, 0x3d, 0xff, 0xfe]))).toEqual({ status: 400, body: 'unreadable_form' });
  });

  it('refuses a 20 MB body with 413 from its Content-Length, before reading it', { timeout: 60_000 }, async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 'a');
    const answer = await post(Buffer.concat([Buffer.from('csrf='), big]));
    expect(answer).toEqual({ status: 413, body: 'form_too_large' });
  });

  it('refuses a chunked body once it passes the limit with 413', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > FORM_LIMIT_BYTES * 4) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    expect((await post(stream)).status).toBe(413);
    expect((await post('a='.concat('b'.repeat(FORM_LIMIT_BYTES - 2)))).status).toBe(200);
    expect((await post('a='.concat('b'.repeat(FORM_LIMIT_BYTES - 1)))).status).toBe(413);
  });
});
