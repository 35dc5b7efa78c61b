/**
 * {@link useMizanQuery}: the hook generated query hooks delegate to.
 *
 * @module
 */

import {
  useQuery,
  useQueryClient,
  type FetchQueryOptions,
  type UseQueryOptions,
  type UseQueryResult,
} from "@tanstack/react-query";
import { use } from "react";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import type { MizanQueryKey } from "../query-key.js";
import { serverQuery } from "./page-queries.js";
import { mizanQueryOptions } from "./query-options.js";
import { useServerRender } from "./root.js";

/**
 * Options of a generated query hook: TanStack's `useQuery` options minus the
 * key and function. `TError` is the query's error union when it declares
 * errors, else {@link MizanError}.
 */
export type QueryHookOptions<TOut, TError = MizanError> = Omit<
  UseQueryOptions<TOut, TError, TOut, MizanQueryKey>,
  "queryKey" | "queryFn"
>;

/**
 * `useQuery` for server query `name`: keyed by `queryKey(name, args)`, calling
 * `fn(args, { signal })` with TanStack's abort signal so a cancelled or
 * unmounted query aborts its request ({@link mizanQueryOptions}).
 *
 * In a server render (under the SSR worker's `MizanRoot`) the host runs the
 * query for the render and the component waits for it, so the page is
 * rendered with its data (or its error), never its loading state; the
 * browser starts from the same data (`#mizan-queries`). Components reading
 * the same query with the same arguments share one call.
 */
export function useMizanQuery<TArgs, TOut, TError = MizanError>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  args: TArgs,
  options?: QueryHookOptions<TOut, TError>,
): UseQueryResult<TOut, TError> {
  const server = useServerRender();
  const client = useQueryClient();
  const base = mizanQueryOptions<TArgs, TOut, TError>(name, fn, args);
  const merged: UseQueryOptions<TOut, TError, TOut, MizanQueryKey> =
    server === null
      ? { ...options, ...base }
      : { ...options, ...base, queryFn: () => serverQuery(server, name, args) as Promise<TOut> };
  const result = useQuery<TOut, TError, TOut, MizanQueryKey>(merged);
  if (server !== null && result.isPending && options?.enabled !== false) {
    // Waits (suspends the server render) until the host answered; the
    // render then reads the settled query from the cache.
    use(client.fetchQuery(merged as FetchQueryOptions<TOut, TError, TOut, MizanQueryKey>).then(settledNothing, settledNothing));
  }
  return result;
}

function settledNothing(): undefined {
  return undefined;
}
