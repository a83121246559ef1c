/**
 * The current request's id, carried through async calls (AsyncLocalStorage), so log lines and
 * audit records written anywhere below the HTTP layer name the request that caused them without
 * every function passing it along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return scope.run(requestId, work);
}

/** The id of the request being handled, or undefined outside one (jobs, CLI, startup). */
export function currentRequestId(): string | undefined {
  return scope.getStore();
}
