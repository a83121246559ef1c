/**
 * Imports users from JSON lines (one seed user entry per line: username, email, email_verified,
 * profile, roles, password_hash in any format users/domain/password-hash-format.ts accepts).
 * Every line is checked first and every problem reported with its line number; only a clean
 * file is applied, in one transaction, so an import lands completely or not at all. Applying is
 * the seed's user step, so a second run changes nothing: existing users get the stated profile
 * fields and roles, and keep their password (a hash is only set when the account is created).
 */
import { AppError } from '../../../shared/errors.js';
import type { RoleRepository } from '../../permissions/index.js';
import type { UserRepository } from '../../users/index.js';
import { applySeed, type ApplySeedDeps } from './apply-seed.js';
import { seedUserSchema, type SeedUser } from './seed-document.js';

export interface ImportUsersDeps {
  users: Pick<UserRepository, 'findByUsername' | 'findByLogin'>;
  roles: Pick<RoleRepository, 'findByName'>;
  /** Runs `work` in one database transaction, with seed dependencies bound to it. */
  transaction<T>(work: (deps: ApplySeedDeps) => Promise<T>): Promise<T>;
}

export type ImportResult =
  | { ok: true; created: string[]; updated: string[] }
  | { ok: false; errors: string[] };

interface Line {
  number: number;
  user: SeedUser;
}

const describe = (line: number, username: unknown) => `line ${line}${typeof username === 'string' ? ` (${JSON.stringify(username)})` : ''}`;

function parseLine(text: string, number: number): { line?: Line; errors: string[] } {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { errors: [`line ${number}: not valid JSON`] };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { errors: [`line ${number}: must be a JSON object`] };
  const where = describe(number, (input as { username?: unknown }).username);
  const errors: string[] = [];
  // An import moves accounts with their existing hashes; plaintext passwords do not belong in such a file.
  for (const field of ['password', 'password_env']) {
    if (field in input) errors.push(`${where}.${field}: an import takes password_hash only`);
  }
  const parsed = seedUserSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      errors.push(`${where}${path}: ${issue.message}`);
    }
  }
  return errors.length || !parsed.success ? { errors } : { line: { number, user: parsed.data }, errors };
}

/** Checks against the database that need no writes: roles exist, an email is not another account's. */
async function storedConflicts(deps: ImportUsersDeps, { number, user }: Line): Promise<string[]> {
  const errors: string[] = [];
  const where = describe(number, user.username);
  for (const [k, name] of (user.roles ?? []).entries()) {
    if (!(await deps.roles.findByName(name))) errors.push(`${where}.roles[${k}]: no role named ${JSON.stringify(name)}`);
  }
  if (user.email) {
    const owner = await deps.users.findByLogin(user.email);
    if (owner && owner.username.toLowerCase() !== user.username.toLowerCase()) errors.push(`${where}.email: already used by another account`);
  }
  return errors;
}

/** @param text the JSON lines; blank lines are skipped. */
export async function importUsers(deps: ImportUsersDeps, text: string): Promise<ImportResult> {
  const errors: string[] = [];
  const lines: Line[] = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (!raw.trim()) continue;
    const { line, errors: lineErrors } = parseLine(raw, index + 1);
    errors.push(...lineErrors);
    if (!line) continue;
    for (const key of [`username ${line.user.username.toLowerCase()}`, ...(line.user.email ? [`email ${line.user.email.toLowerCase()}`] : [])]) {
      const first = seen.get(key);
      if (first !== undefined) errors.push(`${describe(line.number, line.user.username)}: same ${key.split(' ')[0]} as line ${first}`);
      else seen.set(key, line.number);
    }
    lines.push(line);
  }
  if (!errors.length && !lines.length) errors.push('no users in the input');
  // Read-only checks run for every well-formed line, so one pass reports all there is to fix.
  for (const line of lines) errors.push(...(await storedConflicts(deps, line)));
  if (errors.length) return { ok: false, errors };

  const created: string[] = [];
  const updated: string[] = [];
  let current: Line | undefined;
  try {
    await deps.transaction(async (seedDeps) => {
      for (current of lines) {
        const { number, user } = current;
        const report = await applySeed(seedDeps, { apis: [], roles: [], clients: [], users: [user] }, `line ${number}`);
        (report.users[0]?.created ? created : updated).push(user.username);
      }
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // applySeed names the entry as users[0]; the operator knows it by its line. Storage errors
    // (a username or email taken meanwhile) name nothing, so the line is added.
    const message = error.message.startsWith('line ') ? error.message.replace(/^(line \d+): users\[0\] /, '$1 ') : `${describe(current!.number, current!.user.username)}: ${error.message}`;
    return { ok: false, errors: [message] };
  }
  return { ok: true, created, updated };
}
