/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its stores answer). */
import Router from '@koa/router';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

// A readiness probe must answer before the orchestrator's own timeout (commonly 1-5 s).
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>): Promise<void> {
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

export function healthRoutes(checks: ReadinessCheck[], isShuttingDown: () => boolean): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check());
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const ready = !isShuttingDown() && results.every(([, status]) => status === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : isShuttingDown() ? 'shutting down' : 'unavailable', checks: Object.fromEntries(results) };
  });
  return router;
}
