/**
 * /dev/mailbox (development with a log channel only): the latest emails and SMS the log channels
 * printed, newest first, with every link clickable, so a developer follows a verification or
 * reset link without copying it out of the terminal. Mounted only when the wiring built a mailbox.
 */
import type Router from '@koa/router';
import { pageLocale, renderPage } from '../browser/render.js';
import type { Renderer } from '../../shared/rendering.js';

export const DEV_MAILBOX_PATH = '/dev/mailbox';

export interface MailboxMessage {
  kind: 'email' | 'SMS';
  to: string;
  subject: string | undefined;
  text: string;
  at: Date;
}

/** One line of a message: plain text and links, in order. */
export type Segment = { text: string } | { href: string };

// A sentence's closing punctuation is not part of the link.
const LINK = /https?:\/\/[^\s<>"')]*[^\s<>"').,;:!?]/g;

export function segments(line: string): Segment[] {
  const parts: Segment[] = [];
  let last = 0;
  for (const match of line.matchAll(LINK)) {
    if (match.index > last) parts.push({ text: line.slice(last, match.index) });
    parts.push({ href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < line.length) parts.push({ text: line.slice(last) });
  return parts;
}

export function mailboxRoute(router: Router, deps: { renderer: Renderer; latest(): readonly MailboxMessage[] }): void {
  router.get(DEV_MAILBOX_PATH, (ctx) => {
    const messages = deps.latest().map((m) => ({ ...m, at: m.at.toISOString(), lines: m.text.trimEnd().split('\n').map(segments) }));
    ctx.set('Cache-Control', 'no-store');
    renderPage(ctx, deps.renderer, 'home/mailbox', { titleId: 'home.mailbox', messages }, { locale: pageLocale(ctx, deps.renderer) });
  });
}
