/** Sends one fuzz case over real HTTP and checks what any answer must hold. */
import { expect } from 'vitest';
import type { Encoding } from './arbitraries.js';

// A stack frame, a source path or a dependency path in a body means internals leaked.
const LEAK = /\bat [^\n]*\.(ts|js|mjs|cjs):\d+|node_modules|\/work\/|\/src\/|\/server\/|\/adapters\//;

/**
 * What an error answer must be: RFC 6749 error JSON on protocol paths, RFC 9457 problem+json on
 * our JSON APIs, an HTML page for browser pages; `any` checks only status and leaks.
 */
export type Answer = 'oauth' | 'problem' | 'html' | 'any';

export interface FuzzRequest {
  method: string;
  url: string;
  fields?: Array<[string, string | string[]]>;
  json?: unknown;
  encoding?: Encoding;
  headers?: Record<string, string>;
  /** The body type of a 4xx (default any). */
  answer?: Answer;
  /** The input is wrong whatever the fuzzer picked: the answer must be a 4xx (not a 2xx or a redirect). */
  refused?: boolean;
  /** Values no answer may contain (client secrets, keys, passwords, tokens). */
  secrets?: readonly string[];
}

function formBody(fields: Array<[string, string | string[]]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of fields) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  return params.toString();
}

function body(request: FuzzRequest): { type?: string; text?: string } {
  const encoding = request.encoding ?? 'form';
  if (encoding === 'none' || request.method === 'GET' || request.method === 'HEAD') return {};
  const asJson = request.json !== undefined ? request.json : Object.fromEntries(request.fields ?? []);
  const form = formBody(request.fields ?? []);
  switch (encoding) {
    case 'form':
      return { type: 'application/x-www-form-urlencoded', text: form };
    case 'form; charset=utf-16':
      return { type: 'application/x-www-form-urlencoded; charset=utf-16', text: form };
    case 'json':
      return { type: 'application/json', text: JSON.stringify(asJson) };
    case 'json; charset=latin1':
      return { type: 'application/json; charset=latin1', text: JSON.stringify(asJson) };
    default:
      return { type: encoding, text: form };
  }
}

const TYPES: Record<Exclude<Answer, 'any'>, RegExp> = {
  oauth: /^application\/json\b/,
  problem: /^application\/problem\+json\b/,
  html: /^text\/html\b/,
};

// An address with no form behind it: the router's bare 404/405 (a page only for a browser's GET; see not-found.ts).
const NO_SUCH_FORM = new Set([404, 405]);

function checkErrorBody(answer: Answer, method: string, status: number, type: string, body: string, what: string): void {
  if (answer === 'any') return;
  if (answer === 'html' && method !== 'GET' && NO_SUCH_FORM.has(status) && type.startsWith('text/plain')) return;
  expect(type, `the content type of ${what}`).toMatch(TYPES[answer]);
  if (answer === 'html') return;
  const parsed = JSON.parse(body) as Record<string, unknown>;
  if (answer === 'oauth') expect(typeof parsed.error, `an RFC 6749 error in ${what}`).toBe('string');
  else expect(parsed, `an RFC 9457 problem in ${what}`).toMatchObject({ title: expect.any(String), status: expect.any(Number) });
}

/** @returns the status; fails the property when the answer is a 5xx, leaks internals or a secret, or has the wrong error body. */
export async function send(request: FuzzRequest): Promise<number> {
  const url = new URL(request.url);
  if (request.method === 'GET' || request.method === 'HEAD') for (const [name, value] of request.fields ?? []) for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
  const { type, text } = body(request);
  const response = await fetch(url, {
    method: request.method,
    redirect: 'manual',
    headers: { ...(type ? { 'content-type': type } : {}), ...request.headers },
    ...(text !== undefined ? { body: text } : {}),
  });
  const answer = await response.text();
  const what = `${request.method} ${url.pathname} → ${response.status}: ${answer.slice(0, 300)}`;
  expect(response.status, what).toBeLessThan(500);
  expect(LEAK.test(answer), `internals in the body of ${what}`).toBe(false);
  for (const secret of request.secrets ?? []) expect(answer.includes(secret), `a secret in the body of ${what}`).toBe(false);
  if (request.refused) expect(response.status, `a refusal: ${what}`).toBeGreaterThanOrEqual(400);
  // 431 is Node's own answer to a request line or headers over its limit, before any of our code runs: no body.
  if (response.status >= 400 && response.status !== 431 && request.method !== 'HEAD') checkErrorBody(request.answer ?? 'any', request.method, response.status, response.headers.get('content-type') ?? '', answer, what);
  return response.status;
}

// A logged stack: pino writes an Error's stack as "stack", its frames as "\n    at ".
const LOGGED_STACK = /"stack"\s*:|\\n\s+at [^"]*:\d+/;

/**
 * Fails when a log line written since `from` holds a stack trace or one of `secrets`.
 * @returns the index to check from next time.
 */
export function checkLogs(logs: readonly string[], from: number, secrets: readonly string[]): number {
  for (const line of logs.slice(from)) {
    expect(LOGGED_STACK.test(line), `a stack trace in the log: ${line.slice(0, 600)}`).toBe(false);
    for (const secret of secrets) expect(line.includes(secret), `a secret in the log: ${line.slice(0, 600)}`).toBe(false);
  }
  return logs.length;
}
