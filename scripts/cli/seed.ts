/**
 * Seed documents from the command line: `export` writes what is declared here as a document that
 * SEED_FILE (or `seed apply`) applies again elsewhere; `seed apply` applies one now.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { applySeed, exportSeed, parseSeedDocument } from '../../server/modules/bootstrap/index.js';
import { AppError } from '../../server/shared/errors.js';
import { flag, stringOption, type Command } from './command.js';
import { withContainer } from './context.js';

const exportCommand: Command = {
  name: 'export',
  summary: 'write APIs, roles, clients and users as a seed document (SEED_FILE format)',
  usage: '[--output FILE] [--password-hashes]',
  details: [
    '  --output FILE       write to FILE (mode 0600) instead of standard output',
    '  --password-hashes   include users\' password hashes (treat the file as a secret)',
    'Client secrets are never exported: a confidential client applied elsewhere gets a new generated',
    'secret, printed once. Dynamically registered clients are not exported.',
  ].join('\n'),
  options: { output: { type: 'string' }, 'password-hashes': { type: 'boolean' } },
  run: (args) =>
    withContainer(async (container) => {
      const document = await exportSeed(
        { ...container.seedDeps, users: container.users, credentials: container.credentials },
        { passwordHashes: flag(args, 'password-hashes') },
      );
      const text = `${JSON.stringify(document, null, 2)}\n`;
      const output = stringOption(args, 'output');
      if (!output) {
        process.stdout.write(text);
        return;
      }
      await writeFile(output, text, { mode: 0o600 });
      const counts = ['apis', 'roles', 'clients', 'users'].map((k) => `${(document[k] as unknown[]).length} ${k}`).join(', ');
      console.log(`Exported ${counts} to ${output}.`);
    }),
};

const applyCommand: Command = {
  name: 'seed apply',
  summary: 'apply a seed document now, as SEED_FILE does at start',
  usage: '<file>',
  details: 'Idempotent. Generated client secrets are printed once. `client_secret_env` and `password_env` read this environment.',
  positionals: { min: 1, max: 1 },
  async run(args) {
    const file = args.positionals[0]!;
    let input: unknown;
    try {
      input = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new AppError('invalid_seed', `${file}: ${error instanceof SyntaxError ? 'not valid JSON' : `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`}`);
    }
    const document = parseSeedDocument(input, file);
    await withContainer(async (container) => {
      // The container's seed dependencies carry the environment this command was started with.
      const report = await applySeed(container.seedDeps, document, file);
      console.log(`Applied ${file}: ${report.apis.length} APIs, ${report.roles.length} roles, ${report.clients.length} clients, ${report.users.length} users.`);
      for (const client of report.clients) {
        if (client.generatedSecret) console.log(`Client secret of ${client.clientId} (shown once): ${client.generatedSecret}`);
      }
    });
  },
};

export const seedCommands: Command[] = [exportCommand, applyCommand];
