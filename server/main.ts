/** Process entry point: start, print the banner, drain on SIGTERM/SIGINT. */
import { ConfigError } from '../config/loader.js';
import { startupBanner } from './banner.js';
import { describeError } from './shared/logger.js';
import { isAppError } from './shared/errors.js';
import { startServer } from './start.js';

async function main() {
  let running;
  try {
    running = await startServer();
  } catch (error) {
    if (error instanceof ConfigError || (isAppError(error) && error.code === 'invalid_seed')) {
      process.stderr.write(`Cannot start: ${error.message}\n`);
    } else {
      process.stderr.write(`Cannot start: ${JSON.stringify(describeError(error))}\n`);
    }
    process.exit(1);
  }
  const { container } = running;
  process.stdout.write(`${startupBanner(container.config, running.firstRun, running.url)}\n`);
  container.logger.info({ url: running.url, issuer: container.config.issuer, database: container.database.kind, redis: Boolean(container.redis) }, 'started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    container.logger.info({ signal }, 'shutting down');
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      container.logger.error({ err: describeError(error) }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
