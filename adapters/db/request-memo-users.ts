/**
 * The user repository read once per request (server/shared/request-scope.ts): a sign-in's steps,
 * oidc-provider's findAccount and the new-device check each ask for the same user, and in one
 * request they now share one read. A lookup by login also answers the lookup by id of the user it
 * found. Any write through the repository forgets the request's user reads, before and after it
 * runs, so a request that changes a user then reads it sees the change. Nothing is kept between
 * requests.
 */
import { forgetInRequest, memoizedInRequest, rememberInRequest } from '../../server/shared/request-scope.js';
import { normalizeLogin, type User, type UserRepository } from '../../server/modules/users/index.js';

const PREFIX = 'users:';
const byId = (id: string) => `${PREFIX}id:${id}`;

function forgetting<A extends unknown[], R>(write: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    forgetInRequest(PREFIX);
    try {
      return await write(...args);
    } finally {
      forgetInRequest(PREFIX);
    }
  };
}

export function requestMemoUsers(users: UserRepository): UserRepository {
  const found = (user: User | undefined) => {
    if (user) rememberInRequest(byId(user.id), user);
    return user;
  };
  return {
    findById: (id) => memoizedInRequest(byId(id), () => users.findById(id)),
    findByLogin: (identifier) => memoizedInRequest(`${PREFIX}login:${normalizeLogin(identifier)}`, async () => found(await users.findByLogin(identifier))),
    findByUsername: (username) => users.findByUsername(username),
    count: () => users.count(),
    list: (filter, page) => users.list(filter, page),
    roleNames: (userIds) => users.roleNames(userIds),
    create: forgetting((user, options) => users.create(user, options)),
    update: forgetting((id, changes) => users.update(id, changes)),
    updateVersioned: forgetting((id, versions, changes) => users.updateVersioned(id, versions, changes)),
    deleteVersioned: forgetting((id, versions) => users.deleteVersioned(id, versions)),
    setRoles: forgetting((id, versions, roleIds) => users.setRoles(id, versions, roleIds)),
  };
}
