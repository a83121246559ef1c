/**
 * Parses environment variables against a section object. Every invalid variable is reported, one
 * line each naming it; the values returned are still complete (an invalid variable falls back to
 * its default) so the cross-field and production rules can run and report in the same pass.
 */
import type { z } from 'zod';
import { problem, type Problem } from './problems.js';
import { metaOf } from './settings/setting.js';

export type EnvInput = Readonly<Record<string, string | undefined>>;

export interface Parsed<T> {
  values: T;
  problems: Problem[];
  /** Variables whose given value was refused; rules about them are not reported again. */
  invalid: ReadonlySet<string>;
}

function inputFor(shape: z.core.$ZodShape, env: EnvInput, refused: ReadonlySet<string>): Record<string, string | undefined> {
  const input: Record<string, string | undefined> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const given = env[name];
    // An empty variable counts as unset, as in most shells' `VAR= command`.
    input[name] = given === undefined || given === '' || refused.has(name) ? metaOf(name, schema).default : given;
  }
  return input;
}

function describeValue(name: string, schema: z.core.$ZodType, value: string | undefined): string {
  if (value === undefined) return '';
  return ` (got ${JSON.stringify(metaOf(name, schema).secret ? `<${value.length} characters>` : value)})`;
}

/** @throws Error when a declared default is itself invalid (a programming error, caught by the tests). */
export function parseEnv<S extends z.ZodObject>(schema: S, env: EnvInput): Parsed<z.output<S>> {
  const shape = schema.shape;
  const first = schema.safeParse(inputFor(shape, env, new Set()));
  if (first.success) return { values: first.data, problems: [], invalid: new Set() };

  const messages = new Map<string, string[]>();
  for (const issue of first.error.issues) {
    const name = String(issue.path[0] ?? '');
    messages.set(name, [...(messages.get(name) ?? []), issue.message]);
  }
  const problems: Problem[] = [];
  for (const [name, list] of messages) {
    const setting = shape[name];
    const value = setting ? describeValue(name, setting, env[name]) : '';
    problems.push(problem(name, `${name} ${list.join('; ')}${value}`));
  }
  const invalid = new Set(messages.keys());
  const second = schema.safeParse(inputFor(shape, env, invalid));
  if (!second.success) throw new Error(`invalid default for ${second.error.issues.map((i) => String(i.path[0])).join(', ')}`);
  return { values: second.data, problems, invalid };
}
