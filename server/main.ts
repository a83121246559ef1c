/**
 * Process entry point: tracing first, then start, print the banner, drain on SIGTERM/SIGINT.
 * start.ts is imported only after tracing is up: OpenTelemetry patches pg, ioredis and http as
 * they load, so nothing that imports them may be a static import here.
 */
import { ConfigError } from '../config/loader.js';
import { tracingSettings } from '../config/telemetry.js';
import { startTracing } from '../adapters/telemetry/bootstrap.js';
import { startupBanner } from './banner.js';
import { describeError } from './shared/logger.js';
import { isAppError } from './shared/errors.js';

async function main() {
  let running;
  let tracing;
  try {
    tracing = await startTracing(tracingSettings());
    const { startServer } = await import('./start.js');
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
      await tracing?.shutdown();
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
