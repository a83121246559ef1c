/**
 * Builds the OpenAPI 3.1 document of the admin API from its resources: every operation's path,
 * parameters, request body, scope and responses come from the same declaration the router
 * uses. JSON Schemas are generated from the zod schemas (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1), so what is validated is what is documented.
 */
import { z } from 'zod';
import { problemSchema } from './schemas.js';
import type { AdminResource, Operation } from './operation.js';

export interface DocumentOptions {
  issuer: string;
  /** The admin API's resource server identifier (the audience of its tokens). */
  audience: string;
  /** Scopes the admin API defines, with their descriptions. */
  scopes: Record<string, string>;
}

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12, without the `$schema` marker (OpenAPI 3.1 sets the dialect once). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const PROBLEM_TITLES: Record<number, string> = {
  400: 'The input is invalid; `errors` names each field.',
  401: 'No token, or a token that is invalid, expired or not for this API (RFC 6750 invalid_token).',
  403: 'The token lacks the scope this operation needs (RFC 6750 insufficient_scope).',
  404: 'No such resource.',
  409: 'The change conflicts with the current state (a name in use, a protected resource).',
  412: 'If-Match does not name the current version: read the resource again.',
  428: 'If-Match is required: send the ETag of the representation you read.',
};

function problem(status: number): Record<string, unknown> {
  const headers = status === 401 || status === 403
    ? { 'WWW-Authenticate': { description: 'RFC 6750 §3 Bearer challenge', schema: { type: 'string' } } }
    : undefined;
  return { description: PROBLEM_TITLES[status], ...(headers ? { headers } : {}), content: { 'application/problem+json': { schema: ref('Problem') } } };
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function operationObject(op: Operation, tag: string): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.etag ? { headers: { ETag: { description: 'Strong entity tag of the representation (send it back in If-Match)', schema: { type: 'string' } } } } : {}),
      ...(spec.schema ? { content: { 'application/json': { schema: ref(spec.schema) } } } : {}),
    };
  }
  const statuses = new Set<number>(op.problems ?? []);
  if (op.params || op.query || op.body) statuses.add(400);
  if (op.scope) [401, 403].forEach((s) => statuses.add(s));
  if (op.ifMatch === true) [412, 428].forEach((s) => statuses.add(s));
  if (op.ifMatch === 'optional') statuses.add(412);
  for (const status of [...statuses].sort()) responses[String(status)] = problem(status);

  const parameters = [...objectParameters(op.params, 'path'), ...objectParameters(op.query, 'query')];
  if (op.ifMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: op.ifMatch === true,
      description: op.ifMatch === true ? 'The ETag of the representation being changed' : 'Optional: act only if the resource still has this ETag',
      schema: { type: 'string' },
    });
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [tag],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
    security: op.scope ? [{ oauth2: [op.scope] }] : [],
    responses,
  };
}

export function buildDocument(resources: AdminResource[], options: DocumentOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = { Problem: jsonSchema(problemSchema, 'output') };
  for (const resource of resources) {
    for (const [name, schema] of Object.entries(resource.schemas)) {
      if (schemas[name]) throw new Error(`admin API schema ${name} is declared twice`);
      schemas[name] = jsonSchema(schema, 'output');
    }
    for (const op of resource.operations) {
      const path = (paths[op.path] ??= {});
      if (path[op.method]) throw new Error(`admin API operation ${op.method.toUpperCase()} ${op.path} is declared twice`);
      path[op.method] = operationObject(op, resource.tag.name);
    }
  }
  const flow = { tokenUrl: `${options.issuer}/token`, scopes: options.scopes };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Admin API',
      version: '1.0.0',
      description: `Administration of users, roles, APIs and clients. Bearer tokens are RFC 9068 JWT access tokens of this provider for the resource \`${options.audience}\` (send \`resource=${options.audience}\` with the token request).`,
    },
    servers: [{ url: `${options.issuer}/admin/v1` }],
    tags: resources.map((r) => r.tag),
    paths,
    components: {
      schemas,
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          flows: { clientCredentials: flow, authorizationCode: { ...flow, authorizationUrl: `${options.issuer}/auth` } },
        },
      },
    },
  };
}
