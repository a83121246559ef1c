/** Reading console forms: the CSRF check and trimmed single string fields (a repeated field is refused as absent). */
import type { Context } from 'koa';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { formBody } from '../server/http/browser/form-body.js';

export interface Form {
  text(name: string): string;
  /** undefined when the field is empty. */
  optional(name: string): string | undefined;
  checked(name: string): boolean;
  /** Every value of a repeated field (checkboxes). */
  all(name: string): string[];
  /** Lines of a textarea, trimmed, empty ones dropped. */
  lines(name: string): string[];
}

/** @throws AppError csrf_failed unless the form carries this browser's token. */
export function readForm(ctx: Context): Form {
  const body = formBody(ctx);
  assertCsrf(ctx, body.csrf);
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  return {
    text,
    optional: (name) => text(name) || undefined,
    checked: (name) => body[name] === 'on' || body[name] === 'true',
    all: (name) => ([] as unknown[]).concat(body[name] ?? []).filter((v): v is string => typeof v === 'string'),
    lines: (name) => text(name).split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
  };
}

/** A path segment from a route parameter, as the API expects it. */
export const segment = (value: string | undefined) => value ?? '';
