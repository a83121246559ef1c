/**
 * User commands: the first administrator, single users, listing, and importing accounts from
 * another system with their existing password hashes. Passwords are never taken on the command
 * line (shell history, process lists): a generated one-time password is printed, or one is read
 * from standard input.
 */
import { readFile } from 'node:fs/promises';
import { createAdmin, importUsers } from '../../server/modules/bootstrap/index.js';
import { createUser, eachUser, passwordProblems, type User } from '../../server/modules/users/index.js';
import { newSecret } from '../../server/shared/ids.js';
import { AppError } from '../../server/shared/errors.js';
import { flag, JSON_OPTION, listOption, printJson, printTable, stringOption, type Command } from './command.js';
import { audit, seedTransaction, withContainer } from './context.js';

/** Users listed per query while printing. */
const PAGE = 500;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function printOneTimePassword(username: string, password: string) {
  console.log(`Created ${username}. One-time password (shown once; to be changed at first sign-in):`);
  console.log(password);
}

const createAdminCommand: Command = {
  name: 'users create-admin',
  summary: 'create an administrator (a user with the admin role) and print a one-time password',
  usage: '[--username NAME] [--email EMAIL] [--force]',
  details: [
    '  --username NAME  login name (default: admin)',
    '  --email EMAIL    email address (unverified)',
    '  --force          create one even though an administrator exists already',
    'The one-time password is printed once and must be changed at the first sign-in.',
  ].join('\n'),
  options: { username: { type: 'string', default: 'admin' }, email: { type: 'string' }, force: { type: 'boolean' } },
  run: (args) =>
    withContainer(async (container) => {
      const admin = await createAdmin(
        { ...container, roles: container.seedDeps.roles },
        { username: stringOption(args, 'username')!, email: stringOption(args, 'email'), force: flag(args, 'force') },
      );
      await audit(container, 'admin.user.created', { type: 'user', id: admin.userId }, { role: 'admin', forced: flag(args, 'force') });
      printOneTimePassword(admin.username, admin.password);
    }),
};

const createCommand: Command = {
  name: 'users create',
  summary: 'create a user',
  usage: '<username> [--email EMAIL] [--email-verified] [--name NAME] [--role ROLE]... [--password-stdin]',
  details: [
    '  --email EMAIL       email address',
    '  --email-verified    mark the email address as verified',
    '  --name NAME         display name (the `name` claim)',
    '  --role ROLE         a role to hold (repeatable; the role must exist)',
    '  --password-stdin    read the password from standard input instead of generating a one-time one',
  ].join('\n'),
  options: {
    email: { type: 'string' },
    'email-verified': { type: 'boolean' },
    name: { type: 'string' },
    role: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run(args) {
    const username = args.positionals[0]!;
    const email = stringOption(args, 'email');
    let password: string | undefined;
    if (flag(args, 'password-stdin')) {
      password = (await readStdin()).replace(/\r?\n$/, '');
      const problems = passwordProblems(password, { username, email: email ?? null });
      if (problems.length) throw new AppError('invalid_input', `the password does not meet the policy: ${problems.join(', ')}`);
    }
    await withContainer(async (container) => {
      const { roles } = container.seedDeps;
      const roleIds: string[] = [];
      for (const name of listOption(args, 'role')) {
        const role = await roles.findByName(name);
        if (!role) throw new AppError('not_found', `no role named ${JSON.stringify(name)}`);
        roleIds.push(role.id);
      }
      const oneTime = password === undefined ? newSecret(18) : undefined;
      const name = stringOption(args, 'name');
      const user = await createUser(container, {
        username,
        ...(email ? { email, emailVerified: flag(args, 'email-verified') } : {}),
        ...(name ? { profile: { name } } : {}),
        password: password ?? oneTime!,
        mustChangePassword: oneTime !== undefined,
      });
      if (roleIds.length) await roles.setUserRoles(user.id, roleIds);
      await audit(container, 'admin.user.created', { type: 'user', id: user.id }, { roles: listOption(args, 'role').join(' ') });
      if (oneTime) printOneTimePassword(user.username, oneTime);
      else console.log(`Created ${user.username}.`);
    });
  },
};

const listCommand: Command = {
  name: 'users list',
  summary: 'list users with their roles',
  usage: '[--json]',
  options: JSON_OPTION,
  run: (args) =>
    withContainer(async (container) => {
      const rows: Array<{ user: User; roles: string[] }> = [];
      for await (const user of eachUser(container.users, PAGE)) rows.push({ user, roles: await container.seedDeps.roles.roleNamesOf(user.id) });
      if (flag(args, 'json')) {
        printJson(rows.map(({ user, roles }) => ({
          id: user.id,
          username: user.username,
          email: user.email,
          email_verified: user.emailVerified,
          roles,
          disabled: user.disabled,
          created_at: user.createdAt.toISOString(),
        })));
        return;
      }
      printTable(
        ['USERNAME', 'EMAIL', 'VERIFIED', 'ROLES', 'DISABLED'],
        rows.map(({ user, roles }) => [user.username, user.email ?? '-', user.email ? String(user.emailVerified) : '-', roles.join(',') || '-', String(user.disabled)]),
      );
    }),
};

const importCommand: Command = {
  name: 'users import',
  summary: 'import users with their existing password hashes from JSON lines',
  usage: '<file | ->',
  details: [
    'One JSON object per line: {"username", "email", "email_verified", "profile", "roles", "password_hash"}.',
    'password_hash: an argon2id/argon2i PHC string, bcrypt ($2a$, $2b$, $2y$), or scrypt as',
    '  $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64 without padding>$<hash, base64 without padding>.',
    'Imported hashes are verified at sign-in and replaced by argon2id after the first successful one.',
    'Every line is checked first; any problem is reported with its line number and nothing is imported.',
    'A clean file is applied in one transaction. Running it again changes nothing: existing users get',
    'the stated profile fields and roles and keep their password. `-` reads standard input.',
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  async run(args) {
    const source = args.positionals[0]!;
    let text: string;
    try {
      text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
    } catch (error) {
      throw new AppError('invalid_input', `cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return withContainer(async (container) => {
      const result = await importUsers(
        { users: container.users, roles: container.seedDeps.roles, transaction: (work) => seedTransaction(container, work) },
        text,
      );
      if (!result.ok) {
        for (const error of result.errors) console.error(error);
        console.error(`Nothing imported: ${result.errors.length} problem(s).`);
        return 1;
      }
      await audit(container, 'admin.user.imported', undefined, { created: result.created.length, updated: result.updated.length });
      console.log(`Imported ${result.created.length + result.updated.length} user(s): ${result.created.length} created, ${result.updated.length} already present (updated).`);
      return 0;
    });
  },
};

export const usersCommands: Command[] = [createAdminCommand, createCommand, listCommand, importCommand];

