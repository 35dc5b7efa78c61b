/**
 * {@link mizanQueryOptions}: what generated `…QueryOptions(args)` factories
 * return, and the one place a query's key and function are put together (the
 * query hooks use it too, so a factory and a hook share their cache entry).
 *
 * @module
 */

import { queryOptions, type QueryKeyWithDataTag, type UnusedSkipTokenOptions } from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import { queryKey, type MizanQueryKey } from "../query-key.js";

/**
 * TanStack Query options of one call of a server query: its `queryKey`
 * (`["mizan", name, args]`, tagged with the data and error types, so
 * `queryClient.getQueryData(o.queryKey)` is typed) and its `queryFn`. Pass it
 * to `useQuery`, `useSuspenseQuery`, `useQueries`, `queryClient.prefetchQuery`,
 * `fetchQuery` or `ensureQueryData`; spread it to add options
 * (`useQuery({ ...o, staleTime: 60_000 })`).
 */
export type MizanQueryOptions<TOut> = UnusedSkipTokenOptions<TOut, MizanError, TOut, MizanQueryKey> &
  QueryKeyWithDataTag<MizanQueryKey, TOut, MizanError>;

/**
 * The options of query `name` called with `args`: keyed by
 * `queryKey(name, args)`, calling `fn(args, { signal })` with TanStack's abort
 * signal, so a cancelled query aborts its request.
 */
export function mizanQueryOptions<TArgs, TOut>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  args: TArgs,
): MizanQueryOptions<TOut> {
  return queryOptions<TOut, MizanError, TOut, MizanQueryKey>({
    queryKey: queryKey(name, args),
    queryFn: ({ signal }) => fn(args, { signal }),
  });
}
