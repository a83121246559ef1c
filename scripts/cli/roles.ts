/** Role commands: create (or replace) a role with API permissions, and list roles. */
import { applySeed, parseSeedDocument } from '../../server/modules/bootstrap/index.js';
import { flag, JSON_OPTION, listOption, printJson, printTable, stringOption, UsageError, type Command } from './command.js';
import { audit, withContainer } from './context.js';

/** `--permission "https://api.example.com orders:read"` → one API and one of its scopes. */
function permissionsFrom(values: string[]) {
  const byResource = new Map<string, string[]>();
  for (const value of values) {
    const [resource, scope, extra] = value.trim().split(/\s+/);
    if (!resource || !scope || extra) throw new UsageError(`--permission takes "<api identifier> <scope>", got ${JSON.stringify(value)}`);
    byResource.set(resource, [...(byResource.get(resource) ?? []), scope]);
  }
  return [...byResource].map(([resource, scopes]) => ({ resource, scopes }));
}

const createCommand: Command = {
  name: 'roles create',
  summary: 'create a role, or replace the description and permissions of an existing one',
  usage: '<name> [--description TEXT] [--permission "<api> <scope>"]...',
  details: [
    '  --description TEXT           what the role is for',
    '  --permission "<api> <scope>" a scope of a registered API the role grants (repeatable)',
    'The API and its scopes must exist. Holders see the change at their next token.',
  ].join('\n'),
  options: { description: { type: 'string' }, permission: { type: 'string', multiple: true } },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const role = { name: args.positionals[0], description: stringOption(args, 'description') ?? '', permissions: permissionsFrom(listOption(args, 'permission')) };
    const document = parseSeedDocument({ roles: [role] }, 'roles create');
    await withContainer(async (container) => {
      const existed = await container.seedDeps.roles.findByName(document.roles[0]!.name);
      await applySeed(container.seedDeps, document, 'roles create', 'cli');
      await audit(container, existed ? 'admin.role.updated' : 'admin.role.created', { type: 'role', id: document.roles[0]!.name });
      console.log(`${existed ? 'Updated' : 'Created'} role ${document.roles[0]!.name}.`);
    });
  },
};

const listCommand: Command = {
  name: 'roles list',
  summary: 'list roles with their permissions and how many users hold them',
  usage: '[--json]',
  options: JSON_OPTION,
  run: (args) =>
    withContainer(async (container) => {
      const { roles } = container.seedDeps;
      const all = await roles.list();
      const holders = await Promise.all(all.map((role) => roles.countHolders(role.name)));
      if (flag(args, 'json')) {
        printJson(all.map((role, i) => ({ name: role.name, description: role.description, permissions: role.permissions, users: holders[i] })));
        return;
      }
      printTable(
        ['NAME', 'USERS', 'PERMISSIONS', 'DESCRIPTION'],
        all.map((role, i) => [role.name, String(holders[i]), role.permissions.map((p) => `${p.resource} ${p.scope}`).join(', ') || '-', role.description]),
      );
    }),
};

export const rolesCommands: Command[] = [createCommand, listCommand];
