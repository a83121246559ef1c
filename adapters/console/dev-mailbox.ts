/**
 * The development mailbox: the latest messages the log channels printed, kept in memory for
 * /dev/mailbox. Only built in development with a log channel (server/wiring/modules/delivery.ts);
 * nothing is kept anywhere else, and a restart empties it.
 */

export interface DevMessage {
  kind: 'email' | 'SMS';
  to: string;
  subject: string | undefined;
  text: string;
  at: Date;
}

export interface DevMailbox {
  record(message: Omit<DevMessage, 'at'>): void;
  /** Newest first. */
  latest(): readonly DevMessage[];
}

/** Enough for a development session's recent sign-ups and codes; older ones are in the log. */
export const DEV_MAILBOX_SIZE = 50;

export function createDevMailbox(size = DEV_MAILBOX_SIZE, now: () => Date = () => new Date()): DevMailbox {
  const messages: DevMessage[] = [];
  return {
    record(message) {
      messages.unshift({ ...message, at: now() });
      messages.length = Math.min(messages.length, size);
    },
    latest: () => [...messages],
  };
}
