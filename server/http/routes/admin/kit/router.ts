/**
 * Turns admin resources into a Koa router: per operation, authenticate and check its scope,
 * validate path, query and body with its schemas, require If-Match when it changes a versioned
 * representation, run the handler, and write status, ETag and JSON body.
 */
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { Acting, AuditTrail } from '../../../../modules/compliance/index.js';
import { AppError, isAppError } from '../../../../shared/errors.js';
import { authenticate, type Authenticator } from './authenticate.js';
import { parseInput } from './input.js';
import type { AdminResource, Operation, Principal } from './operation.js';
import { etagOf, optionalVersions, versionsFromIfMatch } from './preconditions.js';

export const ADMIN_PREFIX = '/admin/v1';
// Admin documents (a client definition, a role) are small; a tight limit keeps oversized bodies out.
const JSON_LIMIT = '64kb';

/** `/users/{userId}` → `/users/:userId` */
const koaPath = (path: string) => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');

function actingContext(ctx: Context, principal: Principal | undefined): Acting {
  return {
    actor: principal ? { type: principal.kind, id: principal.id } : { type: 'anonymous' },
    clientId: principal?.clientId,
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || undefined,
    requestId: ctx.state.requestId as string | undefined,
  };
}

/**
 * A presented token that is refused (invalid, expired, another API's, a disabled user's, or
 * lacking the scope) is a security-relevant event; a request without any token is not recorded,
 * as scanners would flood the trail with them.
 */
async function authenticateOrRecord(ctx: Context, op: Operation & { scope: string }, auth: Authenticator, audit: AuditTrail): Promise<Principal> {
  try {
    return await authenticate(ctx, auth, op.scope);
  } catch (error) {
    if (isAppError(error) && (error.code === 'invalid_token' || error.code === 'insufficient_scope')) {
      const principal = (ctx.state as { adminPrincipal?: Principal }).adminPrincipal;
      const { actor, ...facts } = actingContext(ctx, principal);
      await audit.record({
        type: 'admin.access.denied',
        outcome: 'denied',
        actor,
        ...Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)),
        details: { reason: error.code, operation: op.operationId },
      });
    }
    throw error;
  }
}

function handlerFor(op: Operation, auth: Authenticator, audit: AuditTrail) {
  return async (ctx: Context) => {
    const principal = op.scope ? await authenticateOrRecord(ctx, { ...op, scope: op.scope }, auth, audit) : undefined;
    const params = parseInput(op.params, ctx.params, 'path');
    const query = parseInput(op.query, ctx.query, 'query');
    const body = parseInput(op.body, (ctx.request as unknown as { body?: unknown }).body, 'body');
    const header = ctx.get('if-match') || undefined;
    const ifMatch = op.ifMatch === true ? versionsFromIfMatch(header) : op.ifMatch === 'optional' ? optionalVersions(header) : 'any';
    const response = await op.handle({ params, query, body, principal: principal!, by: actingContext(ctx, principal), ifMatch, ctx });
    ctx.status = response.status;
    if (response.version !== undefined) ctx.set('ETag', etagOf(response.version));
    for (const [name, value] of Object.entries(response.headers ?? {})) ctx.set(name, value);
    if (response.body !== undefined) ctx.body = response.body;
  };
}

export function buildRouter(resources: AdminResource[], auth: Authenticator, audit: AuditTrail): Router {
  const router = new Router({ prefix: ADMIN_PREFIX });
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: JSON_LIMIT, encoding: 'utf-8', onError: bodyError }));
  for (const resource of resources) {
    for (const op of resource.operations) router[op.method](koaPath(op.path), handlerFor(op, auth, audit));
  }
  return router;
}

/** The parser's errors carry no `expose`; they are the caller's mistakes, never a 500. */
function bodyError(error: Error): never {
  if ((error as { status?: number }).status === 413) throw Object.assign(new Error(`the request body exceeds ${JSON_LIMIT}`), { status: 413, expose: true });
  throw new AppError('invalid_input', 'the request body is not valid JSON', { fields: [{ field: 'body', message: 'is not valid JSON' }] });
}

/** Anything under the prefix that no operation matched. */
export function notFound(ctx: Context): never {
  throw new AppError('not_found', `no admin API operation ${ctx.method} ${ctx.path}`);
}
