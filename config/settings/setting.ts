/**
 * How one environment variable is declared: a zod schema for its text, registered with its
 * description and (text) default in one registry. The docs generator and the loader read the
 * same registry, so a setting is documented exactly where it is validated.
 */
import { z } from 'zod';

export interface SettingMeta {
  readonly description: string;
  /** The text used when the variable is unset or empty; undefined: optional, no default. */
  readonly default?: string;
  /** Never echoed in a problem: only its length is shown. */
  readonly secret?: boolean;
}

export const settingMeta = z.registry<SettingMeta>();

interface Options {
  readonly secret?: boolean;
}

/** A setting with a default: its parsed value is never undefined. */
export function setting<S extends z.ZodType>(schema: S, defaultText: string, description: string, options: Options = {}): S {
  // describe() returns a copy, so shared kinds (seconds, bool…) are registered once per variable.
  const declared = schema.describe(description);
  settingMeta.add(declared, { description, default: defaultText, ...options });
  return declared;
}

/** A setting without a default: its parsed value is undefined when the variable is unset. */
export function optional<S extends z.ZodType>(schema: S, description: string, options: Options = {}): z.ZodOptional<S> {
  const declared = schema.optional().describe(description);
  settingMeta.add(declared, { description, ...options });
  return declared;
}

/** The metadata of a declared setting. @throws Error when a section holds an undeclared schema (a programming error). */
export function metaOf(name: string, schema: z.core.$ZodType): SettingMeta {
  const meta = settingMeta.get(schema);
  if (!meta) throw new Error(`${name} is not declared with setting() or optional()`);
  return meta;
}
