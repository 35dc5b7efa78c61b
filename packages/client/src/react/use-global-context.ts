/**
 * {@link useGlobalContext}: the hook generated global context hooks
 * (`useCurrentUser()`) delegate to.
 *
 * @module
 */

import { useQuery, useQueryClient, type QueryClient, type QueryState } from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import { queryKey, type MizanQueryKey } from "../query-key.js";
import type { QueryHookOptions } from "./use-mizan-query.js";
import type { ContextQuery } from "./local-context.js";
import { readPageContext } from "./page-contexts.js";
import { usePageContexts } from "./root.js";

/** Per QueryClient, the global contexts already seeded from the page (each is seeded once). */
const seeded = new WeakMap<QueryClient, Set<string>>();

/**
 * Puts the page's embedded value (or error) for `name` into the query cache,
 * once per QueryClient and only when the query is not cached yet, so the
 * first render has it: no loading state, and the same HTML on the server and
 * in the browser. Later mounts (after the query was garbage-collected, say)
 * fetch as usual rather than reuse the page's old value.
 */
function seedFromPage(
  client: QueryClient,
  name: string,
  key: MizanQueryKey,
  contexts: Record<string, unknown> | undefined,
): void {
  let done = seeded.get(client);
  if (done === undefined) {
    done = new Set();
    seeded.set(client, done);
  }
  if (done.has(name)) return;
  done.add(name);
  const cache = client.getQueryCache();
  if (cache.find({ queryKey: key, exact: true }) !== undefined) return;
  const embedded = readPageContext<unknown>(name, contexts);
  if (embedded === undefined) return;
  const now = Date.now();
  const state: QueryState<unknown, MizanError> = {
    data: embedded.ok ? embedded.data : undefined,
    dataUpdateCount: embedded.ok ? 1 : 0,
    dataUpdatedAt: embedded.ok ? now : 0,
    error: embedded.ok ? null : embedded.error,
    errorUpdateCount: embedded.ok ? 0 : 1,
    errorUpdatedAt: embedded.ok ? 0 : now,
    fetchFailureCount: 0,
    fetchFailureReason: null,
    fetchMeta: null,
    isInvalidated: false,
    status: embedded.ok ? "success" : "error",
    fetchStatus: "idle",
  };
  cache.build(client, { queryKey: key }, state);
}

/**
 * The global context `name` (a function marked
 * `#[mizan::client(context = "global")]`), as a TanStack query keyed like any
 * call of it (`["mizan", name, {}]`), so it refetches with `refetch()` and
 * mutations that invalidate `name` refresh it.
 *
 * On a server-rendered page the first render already has the value the server
 * embedded (or its error): no loading state, no request. By default the value
 * is not refetched on mount or focus (`staleTime: Infinity`), and an embedded
 * error is not retried on mount (`retryOnMount: false`); `options` overrides
 * both. Without an embedded value (a page not rendered by mizan) it is
 * fetched like any query.
 *
 * Needs a TanStack `QueryClientProvider` (`MizanProvider` provides one).
 */
export function useGlobalContext<TArgs extends object, TOut>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  options?: QueryHookOptions<TOut>,
): ContextQuery<TOut> {
  const client = useQueryClient();
  const contexts = usePageContexts();
  const key = queryKey(name, {});
  seedFromPage(client, name, key, contexts);
  return useQuery<TOut, MizanError, TOut, MizanQueryKey>({
    staleTime: Infinity,
    retryOnMount: false,
    ...options,
    queryKey: key,
    // The server refuses to start when a global context does not accept `{}`.
    queryFn: ({ signal }) => fn({} as TArgs, { signal }),
  });
}
