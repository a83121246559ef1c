/**
 * LOG_FORMAT=pretty: pino's own prettifier as the destination, one readable line per entry.
 * Imported only when chosen, so JSON logging (production) never loads it.
 */
import type { DestinationStream } from 'pino';

/** @param destination where the lines go (default stdout). */
export async function prettyDestination(destination?: NodeJS.WritableStream): Promise<DestinationStream> {
  const { default: pretty } = await import('pino-pretty');
  // Synchronous: a crash right after a line still shows the line.
  return pretty({
    colorize: !destination && process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    sync: true,
    ...(destination ? { destination } : {}),
  });
}
