/** LOG_FORMAT: pretty lines in development, JSON elsewhere; development messages as readable blocks. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { messageBlock } from '../../../adapters/console/log-channel.js';
import { createLogger } from '../../../adapters/logging/pino-logger.js';
import { prettyDestination } from '../../../adapters/logging/pretty.js';
import { loadConfig } from '../../../config/loader.js';

describe('LOG_FORMAT', () => {
  it('defaults to pretty in development and json in test and production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/);
  });

  it('pretty writes a readable line (level, message, fields), not JSON, and still redacts secrets', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const logger = createLogger('info', await prettyDestination(out));
    logger.info({ client: 'demo-web', body: { password: 'hunter2-secret' } }, 'token issued');
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: token issued\n/);
    expect(text).toContain('client: "demo-web"');
    expect(text).not.toContain('hunter2-secret');
    expect(() => JSON.parse(text)).toThrow();
  });
});

describe('development message blocks', () => {
  it('show the recipient and subject, the text, and each link alone on its line', () => {
    const block = messageBlock('email', 'alice@example.com', 'Reset your password', 'Hello,\nreset it here: http://localhost:3000/account/reset?token=abc.def (valid 30 minutes)\n');
    const lines = block.split('\n');
    expect(lines[1]).toBe('│ email to alice@example.com: Reset your password');
    expect(lines).toContain('│ Hello,');
    expect(lines).toContain('http://localhost:3000/account/reset?token=abc.def');
    expect(block.endsWith('─\n')).toBe(true);
  });

  it('an SMS block has its code in the text and no link section when there is none', () => {
    const block = messageBlock('SMS', '+15005550006', undefined, '598662 is your sign-in code');
    expect(block).toContain('│ SMS to +15005550006\n');
    expect(block).toContain('│ 598662 is your sign-in code\n');
    expect(block.match(/├/g)).toHaveLength(1);
  });
});
