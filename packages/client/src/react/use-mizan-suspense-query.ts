/**
 * {@link useMizanSuspenseQuery}: the hook generated suspense query hooks
 * (`useListTodosSuspense`) delegate to.
 *
 * @module
 */

import { useSuspenseQuery, type UseSuspenseQueryOptions, type UseSuspenseQueryResult } from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import type { MizanQueryKey } from "../query-key.js";
import { serverQuery } from "./page-queries.js";
import { mizanQueryOptions } from "./query-options.js";
import { useServerRender } from "./root.js";

/**
 * Options of a generated suspense query hook: TanStack's `useSuspenseQuery`
 * options minus the key and function (`TError` as in `QueryHookOptions`).
 */
export type SuspenseQueryHookOptions<TOut, TError = MizanError> = Omit<
  UseSuspenseQueryOptions<TOut, TError, TOut, MizanQueryKey>,
  "queryKey" | "queryFn"
>;

/**
 * `useSuspenseQuery` for server query `name`, with the key and function of
 * {@link useMizanQuery} ({@link mizanQueryOptions}): the component suspends
 * until the data is there (the nearest `<Suspense>` shows its fallback), a
 * failure is thrown to the nearest error boundary, and `data` is always
 * defined. In a server render the host runs the query for the render (see
 * `useMizanQuery`): the boundary streams in when its data arrives.
 */
export function useMizanSuspenseQuery<TArgs, TOut, TError = MizanError>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  args: TArgs,
  options?: SuspenseQueryHookOptions<TOut, TError>,
): UseSuspenseQueryResult<TOut, TError> {
  const server = useServerRender();
  const base = mizanQueryOptions<TArgs, TOut, TError>(name, fn, args);
  return useSuspenseQuery<TOut, TError, TOut, MizanQueryKey>(
    server === null
      ? { ...options, ...base }
      : { ...options, ...base, queryFn: () => serverQuery(server, name, args) as Promise<TOut> },
  );
}
