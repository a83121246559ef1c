/**
 * Operator commands: `npm run cli -- <command>` or `npx oidc-server <command>`. Each command
 * group lives in its own file under scripts/cli/; to add one, write the file and list it here.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
import { auditCommands } from './cli/audit.js';
import { clientsCommands } from './cli/clients.js';
import type { Command } from './cli/command.js';
import { databaseCommands } from './cli/database.js';
import { runCli } from './cli/dispatch.js';
import { keysCommands } from './cli/keys.js';
import { rolesCommands } from './cli/roles.js';
import { seedCommands } from './cli/seed.js';
import { templatesCommands } from './cli/templates.js';
import { usersCommands } from './cli/users.js';

const commands: Command[] = [
  ...databaseCommands,
  ...keysCommands,
  ...usersCommands,
  ...rolesCommands,
  ...clientsCommands,
  ...seedCommands,
  ...auditCommands,
  ...templatesCommands,
];

// runCli reports its own failures and returns an exit code; a rejection here is a bug in it.
runCli(commands, process.argv.slice(2)).then(
  (code) => process.exit(code),
  () => {
    process.stderr.write('oidc-server: unexpected failure\n');
    process.exit(1);
  },
);
