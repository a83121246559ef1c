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
  /** Made by the first memoized read (most protocol requests make none); undefined again once the request settled. */
  memo: Map<string, Promise<unknown>> | undefined;
  settled: boolean;
}

const scope = new AsyncLocalStorage<RequestScope>();

function settle(store: RequestScope) {
  store.settled = true;
  store.memo = undefined;
}

export function runWithRequestId<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  const store: RequestScope = { requestId, memo: undefined, settled: false };
  // No async wrapper of our own: one promise and one closure fewer per request.
  return scope.run(store, () => {
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      settle(store);
      return Promise.reject(error as Error);
    }
    return running.finally(() => settle(store));
  });
}

/** The memo of the request being handled: made on first use, none outside a request or after it settled. */
function currentMemo(create: boolean): Map<string, Promise<unknown>> | undefined {
  const store = scope.getStore();
  if (!store || store.settled) return undefined;
  if (!store.memo && create) store.memo = new Map();
  return store.memo;
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
  const memo = currentMemo(true);
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
  currentMemo(true)?.set(key, Promise.resolve(value));
}

/** Forgets every memoized read of this request whose key starts with `prefix`. */
export function forgetInRequest(prefix: string): void {
  const memo = currentMemo(false);
  if (!memo) return;
  for (const key of [...memo.keys()]) if (key.startsWith(prefix)) memo.delete(key);
}
