/**
 * The one body parser of our form pages (interactions and /account). A browser posts
 * `application/x-www-form-urlencoded`, UTF-8, uncompressed, small; anything else is the
 * sender's mistake and gets a 4xx page, never a 500:
 * - a Content-Encoding other than identity: 415 (RFC 9110 §15.5.16). Browsers never compress a
 *   form, and inflating would only invite decompression bombs, so a false `gzip` is refused
 *   before a byte is read;
 * - another media type (JSON, multipart, text) or charset: 415;
 * - more than FORM_LIMIT_BYTES: 413 (RFC 9110 §15.5.14), from Content-Length before reading;
 * - a broken percent-escape, bytes that are not UTF-8, or a NUL in a name or value: 400.
 * A repeated name gives an array (the form schemas refuse it); names are kept verbatim
 * (`a[b]` is not nested).
 */
import type { Context, Middleware } from 'koa';
import { AppError } from '../../shared/errors.js';

// Our largest form (the account profile) is well under 2 KB; 16 KB leaves room without letting
// a body cost memory.
export const FORM_LIMIT_BYTES = 16 * 1024;

export type FormFields = Record<string, string | string[]>;

const parsed = new WeakMap<Context, FormFields>();

/** The parsed form of this request; empty when it had no body. */
export function formBody(ctx: Context): Record<string, unknown> {
  return parsed.get(ctx) ?? {};
}

const unreadable = () => new AppError('unreadable_form', 'The form could not be read.');

const hasBody = (ctx: Context) => ctx.req.headers['transfer-encoding'] !== undefined || Number(ctx.req.headers['content-length'] ?? 0) > 0;

function assertAcceptable(ctx: Context, limit: number): void {
  const encoding = (ctx.get('content-encoding') || 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw new AppError('unsupported_form', `Content-Encoding ${encoding.slice(0, 40)} is not accepted.`);
  if (ctx.request.is('application/x-www-form-urlencoded') !== 'application/x-www-form-urlencoded') {
    throw new AppError('unsupported_form', 'Forms are sent as application/x-www-form-urlencoded.');
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset && charset !== 'utf-8') throw new AppError('unsupported_form', 'Forms are sent in UTF-8.');
  if (Number(ctx.req.headers['content-length'] ?? 0) > limit) throw new AppError('form_too_large', 'The form is too large.');
}

/** Reads at most `limit` bytes; past it, the rest is discarded unread (not buffered) and 413 thrown. */
function readLimited(ctx: Context, limit: number): Promise<Buffer> {
  const request = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: AppError) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      request.on('error', () => {}); // a late socket error has nothing left to fail
      // Drained, not destroyed: the client can still read the answer.
      request.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(new AppError('form_too_large', 'The form is too large.'));
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    // The client went away or sent a broken chunked body.
    const onError = () => stop(unreadable());
    const onAborted = () => stop(unreadable());
    request.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** WHATWG urlencoded decoding made strict: `+` is a space, `%XX` a byte, the bytes UTF-8 without NUL. */
function decodeComponent(raw: Buffer): string {
  const bytes = Buffer.alloc(raw.length);
  let length = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i]!;
    if (byte === PERCENT) {
      const high = hexValue(raw[i + 1]);
      const low = hexValue(raw[i + 2]);
      if (high < 0 || low < 0) throw unreadable();
      bytes[length++] = high * 16 + low;
      i += 2;
    } else {
      bytes[length++] = byte === PLUS ? 0x20 : byte;
    }
  }
  let decoded: string;
  try {
    decoded = utf8.decode(bytes.subarray(0, length));
  } catch {
    throw unreadable();
  }
  if (decoded.includes('\0')) throw unreadable();
  return decoded;
}

export function parseForm(body: Buffer): FormFields {
  const fields = new Map<string, string | string[]>();
  let start = 0;
  while (start <= body.length) {
    const end = body.indexOf(AMPERSAND, start) < 0 ? body.length : body.indexOf(AMPERSAND, start);
    const pair = body.subarray(start, end);
    start = end + 1;
    if (pair.length === 0) continue;
    const eq = pair.indexOf(EQUALS);
    const name = decodeComponent(eq < 0 ? pair : pair.subarray(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.subarray(eq + 1));
    const seen = fields.get(name);
    fields.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  // fromEntries defines own properties: a `__proto__` field is just a field.
  return Object.fromEntries(fields);
}

/** Parses the form of POST/PUT/PATCH requests; @throws AppError unreadable_form, unsupported_form or form_too_large. */
export function formParser(limit: number = FORM_LIMIT_BYTES): Middleware {
  return async (ctx, next) => {
    if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && hasBody(ctx)) {
      // A refused body is left unread: Node discards the rest once the answer is sent, so the
      // client reads the 4xx instead of a reset connection.
      assertAcceptable(ctx, limit);
      parsed.set(ctx, parseForm(await readLimited(ctx, limit)));
    }
    await next();
  };
}
