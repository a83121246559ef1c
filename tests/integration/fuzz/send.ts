/** Sends one fuzz case over real HTTP and checks what any answer must hold. */
import { expect } from 'vitest';
import type { Encoding } from './arbitraries.js';

// A stack frame, a source path or a dependency path in a body means internals leaked.
const LEAK = /\bat [^\n]*\.(ts|js|mjs|cjs):\d+|node_modules|\/work\/|\/src\/|\/server\/|\/adapters\//;

export interface FuzzRequest {
  method: string;
  url: string;
  fields?: Array<[string, string | string[]]>;
  json?: unknown;
  encoding?: Encoding;
  headers?: Record<string, string>;
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

/** @returns the status; fails the property when the answer is a 5xx or leaks internals. */
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
  return response.status;
}
