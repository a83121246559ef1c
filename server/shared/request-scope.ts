/**
 * The current request's scope, carried through async calls (AsyncLocalStorage): its id, so log
 * lines and audit records written anywhere below the HTTP layer name the request that caused them
 * without every function passing it along; and a memo of reads made while it is handled, so one
 * request reads a record once however many steps ask for it (memoizedInRequest).
 *
 * The memo never crosses requests: it belongs to one request's scope and is dropped when the
 * request's handler settles, so work the request left running (a timer, a queued flush) reads
 * fresh data again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  readonly requestId: string;
  memo: Map<string, Promise<unknown>> | undefined;
}

const scope = new AsyncLocalStorage<RequestScope>();

export function runWithRequestId<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  const store: RequestScope = { requestId, memo: new Map() };
  return scope.run(store, async () => {
    try {
      return await work();
    } finally {
      store.memo = undefined;
    }
  });
}

/** The id of the request being handled, or undefined outside one (jobs, CLI, startup). */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/**
 * `load()` once per request and `key`: a second call in the same request gets the first call's
 * promise. Outside a request (or after it ended) it simply calls `load`. A failed load is not
 * remembered. Callers that change what `key` names call `forgetInRequest` before reading again.
 */
export function memoizedInRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const memo = scope.getStore()?.memo;
  if (!memo) return load();
  const known = memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const loading = load();
  memo.set(key, loading);
  loading.catch(() => {
    if (memo.get(key) === loading) memo.delete(key);
  });
  return loading;
}

/** Sets what a read of `key` in this request returns (a lookup by another key found the same record). */
export function rememberInRequest<T>(key: string, value: T): void {
  scope.getStore()?.memo?.set(key, Promise.resolve(value));
}

/** Forgets every memoized read of this request whose key starts with `prefix`. */
export function forgetInRequest(prefix: string): void {
  const memo = scope.getStore()?.memo;
  if (!memo) return;
  for (const key of [...memo.keys()]) if (key.startsWith(prefix)) memo.delete(key);
}
