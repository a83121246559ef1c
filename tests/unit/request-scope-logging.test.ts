/** Log lines written while a request is handled carry its id, from any depth, once; lines outside a request carry none. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import { runWithRequestId } from '../../server/shared/request-scope.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('request id in log lines', () => {
  it('is added inside a request scope, across awaits, and only once', async () => {
    const { logger, lines } = capture();
    logger.info('before');
    await runWithRequestId('req-12345678', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.info({ detail: 1 }, 'deep inside');
      logger.child({ component: 'x' }).warn('from a child');
      logger.info({ requestId: 'req-12345678' }, 'explicit');
    });
    logger.info('after');
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.map((l) => l.requestId)).toEqual([undefined, 'req-12345678', 'req-12345678', 'req-12345678', undefined]);
    for (const line of lines) expect(line.match(/"requestId"/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});
