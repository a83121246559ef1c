/** Every user, in username order, read a page at a time so a large directory never sits in one result. */
import type { User } from '../domain/user.js';
import type { UserRepository } from '../ports.js';

export async function* eachUser(users: Pick<UserRepository, 'list'>, pageSize: number): AsyncGenerator<User> {
  let after: string | undefined;
  do {
    const page = await users.list({}, { after, limit: pageSize });
    yield* page.items;
    after = page.nextKey;
  } while (after !== undefined);
}
