/** The notifications module's public face. */
export type { Channel, MessageIntent } from './domain/message.js';
export type { Notifier } from './ports.js';
