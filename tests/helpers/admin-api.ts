/**
 * A client for the admin API that checks every response against the API's own OpenAPI 3.1
 * document: the request must match a documented operation, the status must be one it declares,
 * the content type the declared one, and the body valid against the declared schema (ajv, JSON
 * Schema 2020-12, with formats). It records which operations were exercised, so a suite can fail
 * when the document declares an operation no test called.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { client, discover } from './rp.js';

type Json = Record<string, unknown>;

interface OperationEntry {
  method: string;
  template: string;
  pattern: RegExp;
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
}

export interface AdminResult<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  etag: string | null;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  /** Sent as the raw request body instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
  ifMatch?: string | null;
}

const DOC_ID = 'urn:admin-api:openapi';

export class AdminApiClient {
  readonly exercised = new Set<string>();
  private readonly operations: OperationEntry[] = [];
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(readonly base: string, readonly document: Json) {
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOC_ID });
    for (const [template, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[A-Za-z0-9_]+\\?\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods)) {
        this.operations.push({ method: method.toUpperCase(), template, pattern, operationId: op.operationId as string, responses: op.responses as OperationEntry['responses'] });
      }
    }
  }

  /** Reads the document from the running server and builds a client for it. */
  static async open(issuer: string): Promise<AdminApiClient> {
    const base = `${issuer}/admin/v1`;
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Json;
    const api = new AdminApiClient(base, document);
    api.check('GET', '/openapi.json', response.status, response.headers, document);
    return api;
  }

  /** Every operationId in the document. */
  get operationIds(): string[] {
    return this.operations.map((o) => o.operationId);
  }

  /** Compiles every response schema of the document: each reference must resolve. */
  compileAll(): number {
    let compiled = 0;
    for (const op of this.operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const type of Object.keys(response.content ?? {})) {
          this.validator(op, status, type);
          compiled += 1;
        }
      }
    }
    return compiled;
  }

  private validator(op: OperationEntry, status: string, type: string): ValidateFunction {
    const key = `${op.operationId} ${status} ${type}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const pointer = ['paths', op.template, op.method.toLowerCase(), 'responses', status, 'content', type, 'schema']
        .map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1')))
        .join('/');
      validate = this.ajv.compile({ $ref: `${DOC_ID}#/${pointer}` });
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Fails the test unless the response is one the document declares for this operation. */
  check(method: string, path: string, status: number, headers: Headers, body: unknown): void {
    const op = this.operations.find((o) => o.method === method && o.pattern.test(path));
    expect(op, `${method} ${path} is not an operation of the OpenAPI document`).toBeDefined();
    const declared = op!.responses[String(status)];
    expect(declared, `${op!.operationId} answered ${status}, which the document does not declare`).toBeDefined();
    this.exercised.add(op!.operationId);
    const content = declared!.content;
    if (!content) {
      expect(body, `${op!.operationId} ${status} declares no body`).toBeUndefined();
      return;
    }
    const type = (headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(content), `${op!.operationId} ${status} content type`).toContain(type);
    const validate = this.validator(op!, String(status), type);
    expect(validate(body) ? [] : validate.errors, `${op!.operationId} ${status} body against the document`).toEqual([]);
    for (const header of Object.keys(declared!.headers ?? {})) {
      expect(headers.get(header), `${op!.operationId} ${status} header ${header}`).toBeTruthy();
    }
  }

  async call<T = Json>(method: string, path: string, options: CallOptions = {}): Promise<AdminResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    let payload: string | undefined = options.rawBody;
    if (payload === undefined && options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await response.text();
    const body = text ? (JSON.parse(text) as T) : undefined;
    this.check(method, new URL(`${this.base}${path}`).pathname.slice(new URL(this.base).pathname.length), response.status, response.headers, body);
    return { status: response.status, headers: response.headers, body: body as T, etag: response.headers.get('etag') };
  }
}

/** A client credentials token for the admin API, as openid-client requests it. */
export async function adminTokenFor(issuer: string, audience: string, clientId: string, secret: string, scope: string): Promise<string> {
  const config = await discover(issuer, clientId, secret);
  const tokens = await client.clientCredentialsGrant(config, { resource: audience, scope });
  return tokens.access_token;
}
