/**
 * What a CLI command is: a name of one or two words, its usage text, its options (node:util
 * parseArgs), and what it does. A command group is a file exporting a list of these; the
 * dispatcher (scripts/cli.ts) lists the groups. Exit codes: 0 success, 1 failure, 2 usage error.
 */
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** One or two words, e.g. `migrate`, `users create-admin`. */
  name: string;
  /** One line for the overview. */
  summary: string;
  /** Arguments after the name, e.g. `<username> [--email EMAIL]`. */
  usage?: string;
  /** Further lines of `help <command>`: what each option does, what is printed. */
  details?: string;
  options?: Options;
  /** How many positional arguments the command takes (default none). */
  positionals?: { min: number; max: number };
  /** @returns the exit code (0 when omitted). Throw UsageError for a usage error (2); anything else is 1. */
  run(args: ParsedArgs): Promise<number | void>;
}

/** A mistake in how the command was called: exit 2 with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The text of `help <command>`. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: oidc-server ${command.name}${command.usage ? ` ${command.usage}` : ''}`, '', command.summary];
  if (command.details) lines.push('', command.details);
  return lines.join('\n');
}

/** A string option's value, or undefined. */
export const stringOption = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
};

/** A repeatable string option's values. */
export const listOption = (args: ParsedArgs, name: string): string[] => {
  const value = args.values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
};

export const flag = (args: ParsedArgs, name: string): boolean => args.values[name] === true;

/** Prints rows as aligned columns, with a header. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** `--json` output: one JSON document on stdout. */
export const printJson = (value: unknown): void => console.log(JSON.stringify(value, null, 2));

export const JSON_OPTION: Options = { json: { type: 'boolean' } };
