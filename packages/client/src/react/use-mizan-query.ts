/**
 * {@link useMizanQuery}: the hook generated query hooks delegate to.
 *
 * @module
 */

import { useQuery, type UseQueryOptions, type UseQueryResult } from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import type { MizanQueryKey } from "../query-key.js";
import { mizanQueryOptions } from "./query-options.js";

/** Options of a generated query hook: TanStack's `useQuery` options minus the key and function. */
export type QueryHookOptions<TOut> = Omit<
  UseQueryOptions<TOut, MizanError, TOut, MizanQueryKey>,
  "queryKey" | "queryFn"
>;

/**
 * `useQuery` for server query `name`: keyed by `queryKey(name, args)`, calling
 * `fn(args, { signal })` with TanStack's abort signal so a cancelled or
 * unmounted query aborts its request ({@link mizanQueryOptions}).
 */
export function useMizanQuery<TArgs, TOut>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  args: TArgs,
  options?: QueryHookOptions<TOut>,
): UseQueryResult<TOut, MizanError> {
  return useQuery<TOut, MizanError, TOut, MizanQueryKey>({ ...options, ...mizanQueryOptions(name, fn, args) });
}
