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
import { mizanQueryOptions } from "./query-options.js";

/** Options of a generated suspense query hook: TanStack's `useSuspenseQuery` options minus the key and function. */
export type SuspenseQueryHookOptions<TOut> = Omit<
  UseSuspenseQueryOptions<TOut, MizanError, TOut, MizanQueryKey>,
  "queryKey" | "queryFn"
>;

/**
 * `useSuspenseQuery` for server query `name`, with the key and function of
 * {@link useMizanQuery} ({@link mizanQueryOptions}): the component suspends
 * until the data is there (the nearest `<Suspense>` shows its fallback), a
 * failure is thrown to the nearest error boundary, and `data` is always
 * defined.
 */
export function useMizanSuspenseQuery<TArgs, TOut>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  args: TArgs,
  options?: SuspenseQueryHookOptions<TOut>,
): UseSuspenseQueryResult<TOut, MizanError> {
  return useSuspenseQuery<TOut, MizanError, TOut, MizanQueryKey>({
    ...options,
    ...mizanQueryOptions(name, fn, args),
  });
}
