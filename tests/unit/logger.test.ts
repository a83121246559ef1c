/** server/http/logger.ts: secret-bearing fields are redacted; errors are logged as kind, message and code, never a stack. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import { describeError } from '../../server/shared/logger.js';
import { AppError } from '../../server/shared/errors.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('createLogger', () => {
  it('redacts secret-bearing fields one level down', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        params: { code: 'authz-code-123', code_verifier: 'verifier-456', client_secret: 'secret-789', client_id: 'web' },
        body: { password: 'hunter2', login: 'alice' },
        headers: { authorization: 'Basic abc', cookie: 'sid=1', 'user-agent': 'test' },
        tokens: { access_token: 'at', refresh_token: 'rt', id_token: 'it', token: 't' },
      },
      'something',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['authz-code-123', 'verifier-456', 'secret-789', 'hunter2', 'Basic abc', 'sid=1', '"at"', '"rt"', '"it"', '"t"']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ params: { client_id: 'web', code: '[redacted]' }, body: { login: 'alice' }, headers: { 'user-agent': 'test' } });
  });

  it('keeps an error’s kind and code, and never logs a stack', () => {
    const { logger, lines } = capture();
    logger.error({ err: describeError(new AppError('conflict', 'username taken')) }, 'a');
    logger.error({ err: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }, 'b');
    logger.error({ err: new TypeError('raw error logged by mistake') }, 'c');
    expect(lines.map((line) => line.err)).toEqual([
      { type: 'AppError', message: 'username taken', errorCode: 'conflict', status: 409 },
      { type: 'Error', message: 'connect ECONNREFUSED', errorCode: 'ECONNREFUSED' },
      { type: 'TypeError', message: 'raw error logged by mistake' },
    ]);
    expect(JSON.stringify(lines)).not.toContain('stack');
  });
});

describe('describeError', () => {
  it('describes non-errors by their type only', () => {
    expect(describeError('secret string thrown')).toEqual({ type: 'string' });
    expect(describeError({ password: 'x' })).toEqual({ type: 'object' });
  });
});
