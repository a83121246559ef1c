/**
 * Process entry point: tracing first, then start, print the banner, drain on SIGTERM/SIGINT.
 * start.ts is imported only after tracing is up: OpenTelemetry patches pg, ioredis and http as
 * they load, so nothing that imports them may be a static import here.
 */
import module from 'node:module';
import { join } from 'node:path';
import { ConfigError } from '../config/loader.js';
import { projectRoot } from '../config/paths.js';
import { tracingSettings } from '../config/telemetry.js';
import { startTracing } from '../adapters/telemetry/bootstrap.js';
import { startupBanner } from './banner.js';
import { describeError } from './shared/logger.js';
import { isAppError } from './shared/errors.js';

/**
 * Node 22.1+ keeps the V8 code of the modules it compiles on disk, so a second start does not
 * compile them again (on Node 24 about a third of the module loading; NODE_DISABLE_COMPILE_CACHE
 * turns it off). Under node_modules/.cache, where build tools keep theirs. Node 20 has no such
 * cache; where the directory cannot be written (a read-only root filesystem) Node leaves it
 * disabled and says nothing, and so do we: the cache only saves time.
 */
function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache;
  try {
    enable?.(join(projectRoot, 'node_modules', '.cache', 'oidc-server', 'compile'));
  } catch {
    // Not cached; nothing else changes.
  }
}

async function main() {
  // Before start.js and everything it imports are compiled.
  enableCompileCache();
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
