/**
 * Finds the command named by the first words of argv, parses the rest with node:util parseArgs
 * (strict: an unknown option is a usage error), runs it, and turns the outcome into an exit code:
 * 0 success, 1 failure (message on stderr, never a stack), 2 usage error (with the usage text).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/loader.js';
import { commandHelp, UsageError, type Command } from './command.js';

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4) + 2;
  return [
    'Usage: oidc-server <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help [command]'.padEnd(width)}show this text, or a command's options`,
    '',
    'Configuration comes from the environment (see .env.example). Exit codes: 0 success, 1 failure, 2 usage error.',
  ].join('\n');
}

/** The command whose name is the longest prefix of `words`. */
function find(commands: ReadonlyMap<string, Command>, words: string[]): { command: Command; rest: number } | undefined {
  for (const length of [2, 1]) {
    const command = commands.get(words.slice(0, length).join(' '));
    if (command && words.length >= length) return { command, rest: length };
  }
  return undefined;
}

/** The words before the first option: the command name, then positional arguments. */
function leadingWords(argv: string[]): string[] {
  const firstOption = argv.findIndex((a) => a.startsWith('-'));
  return firstOption === -1 ? argv : argv.slice(0, firstOption);
}

export async function runCli(commands: readonly Command[], argv: string[]): Promise<number> {
  // A Map: `constructor` or `toString` must be unknown commands, not Object's methods.
  const byName = new Map(commands.map((c) => [c.name, c]));
  const words = leadingWords(argv);
  if (argv.length === 0) {
    console.log(overview(commands));
    return 2;
  }
  if (words[0] === 'help' || (words.length === 0 && (argv[0] === '--help' || argv[0] === '-h'))) {
    const asked = find(byName, words.slice(1));
    if (words.length > 1 && !asked) {
      console.error(`Unknown command: ${words.slice(1).join(' ')}\n\n${overview(commands)}`);
      return 2;
    }
    console.log(asked ? commandHelp(asked.command) : overview(commands));
    return 0;
  }
  const found = find(byName, words);
  if (!found) {
    console.error(`Unknown command: ${words.join(' ') || argv[0]}\n\n${overview(commands)}`);
    return 2;
  }
  const { command } = found;
  const rest = argv.slice(found.rest);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command));
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < min) throw new UsageError('missing argument');
    if (parsed.positionals.length > max) throw new UsageError(`unexpected argument: ${parsed.positionals[max]}`);
  } catch (error) {
    console.error(`${command.name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return 2;
  }
  try {
    return (await command.run(parsed as Parameters<Command['run']>[0])) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${command.name}: ${error.message}\n\n${commandHelp(command)}`);
      return 2;
    }
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`${command.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
