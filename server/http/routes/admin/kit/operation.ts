/**
 * The one shape of an admin API operation: its OpenAPI description (path, scope, schemas,
 * responses) and its handler live in the same object, so the router and the OpenAPI document are
 * built from one source and cannot drift apart. Routes only validate (zod, from the operation's
 * own schemas) and orchestrate (call a module's use case); the rules live in the modules.
 */
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Acting } from '../../../../modules/compliance/index.js';
import type { ExpectedVersions } from '../../../../shared/versions.js';

/** Who called: a user (authorization code flow, via an admin role) or a client (client credentials). */
export interface Principal {
  kind: 'user' | 'client';
  /** The user's id or the client's id. */
  id: string;
  /** The client that obtained the token. */
  clientId: string;
  scopes: ReadonlySet<string>;
}

/** What a handler gets: validated input, the caller, and the request facts audit events carry. */
export interface AdminRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  /** The actor and request facts every audit event of this request carries. */
  by: Acting;
  /** Versions named by If-Match; 'any' when an operation with optional If-Match got none (or `*`). */
  ifMatch: ExpectedVersions;
  ctx: Context;
}

export interface AdminResponse {
  status: number;
  body?: unknown;
  /** The representation's version, sent as a strong ETag. */
  version?: number;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  /** A component schema name (see AdminResource.schemas); omitted for empty bodies (204). */
  schema?: string;
  /** The response carries an ETag header. */
  etag?: boolean;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** OpenAPI path template relative to /admin/v1, e.g. `/users/{userId}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** The scope a token must carry; null only for the public OpenAPI document itself. */
  scope: string | null;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * true: changes a versioned representation, If-Match is required (428 without, 412 when stale).
   * 'optional': an action on it; If-Match is evaluated when sent (RFC 9110 §13.1.1), 412 when stale.
   */
  ifMatch?: boolean | 'optional';
  /** Success responses by status. */
  responses: Record<number, ResponseSpec>;
  /** Problem statuses this operation may answer besides 400 (input), 401/403 (token) and 412/428 (If-Match), which are added from the declaration. */
  problems?: Array<404 | 409>;
  handle(request: AdminRequest<P, Q, B>): Promise<AdminResponse>;
}

/** A group of operations (one route file), with the component schemas its responses name. */
export interface AdminResource {
  /** The OpenAPI tag of its operations. */
  tag: { name: string; description: string };
  /** Component schemas (zod, converted to JSON Schema 2020-12) named by ResponseSpec.schema. */
  schemas: Record<string, z.ZodType>;
  // Operations differ in their input types; each is checked where it is declared with operation().
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  operations: Array<Operation<any, any, any>>;
}

/** Declares an operation with its input types inferred from its schemas. */
export function operation<P = undefined, Q = undefined, B = undefined>(op: Operation<P, Q, B>): Operation<P, Q, B> {
  return op;
}
