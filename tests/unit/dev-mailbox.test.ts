/** The development mailbox keeps the newest messages only, and its page finds every link. */
import { describe, expect, it } from 'vitest';
import { createDevMailbox, DEV_MAILBOX_SIZE } from '../../adapters/console/dev-mailbox.js';
import { createLogEmailChannel, createLogSmsChannel } from '../../adapters/console/log-channel.js';
import { segments } from '../../server/http/routes/dev-mailbox.js';

const quiet = { info: () => undefined };

describe('development mailbox', () => {
  it('keeps the latest DEV_MAILBOX_SIZE messages, newest first', () => {
    const mailbox = createDevMailbox();
    for (let i = 0; i < DEV_MAILBOX_SIZE + 5; i++) mailbox.record({ kind: 'SMS', to: '+15550100', subject: undefined, text: `code ${i}` });
    const latest = mailbox.latest();
    expect(latest).toHaveLength(DEV_MAILBOX_SIZE);
    expect(latest[0]!.text).toBe(`code ${DEV_MAILBOX_SIZE + 4}`);
    expect(latest.at(-1)!.text).toBe('code 5');
  });

  it('is fed by both log channels', async () => {
    const mailbox = createDevMailbox();
    await createLogEmailChannel(quiet, undefined, mailbox).send({ messageId: 'm1', to: 'a@example.com', subject: 'Hi', text: 'Open https://x.test/a', html: '' } as never);
    await createLogSmsChannel(quiet, undefined, mailbox).send({ messageId: 'm2', to: '+15550100', body: '123456 is your code' } as never);
    expect(mailbox.latest().map(({ kind, to, subject, text }) => ({ kind, to, subject, text }))).toEqual([
      { kind: 'SMS', to: '+15550100', subject: undefined, text: '123456 is your code' },
      { kind: 'email', to: 'a@example.com', subject: 'Hi', text: 'Open https://x.test/a' },
    ]);
  });

  it('splits a line into text and links', () => {
    expect(segments('open https://id.test/reset?token=abc. Or http://x.test')).toEqual([
      { text: 'open ' },
      { href: 'https://id.test/reset?token=abc' },
      { text: '. Or ' },
      { href: 'http://x.test' },
    ]);
    expect(segments('javascript:alert(1) no link')).toEqual([{ text: 'javascript:alert(1) no link' }]);
    expect(segments('')).toEqual([]);
  });
});
