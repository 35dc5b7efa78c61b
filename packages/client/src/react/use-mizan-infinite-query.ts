/**
 * {@link useMizanInfiniteQuery}: the hook generated infinite-query hooks of
 * cursor queries (`useFeedInfinite`) delegate to.
 *
 * @module
 */

import {
  useInfiniteQuery,
  type InfiniteData,
  type UseInfiniteQueryOptions,
  type UseInfiniteQueryResult,
} from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import type { MizanInfiniteQueryKey } from "../query-key.js";
import { mizanInfiniteQueryOptions, type CursorPageLike, type CursorParam } from "./query-options.js";

/** Options of a generated infinite-query hook: TanStack's `useInfiniteQuery` options minus what mizan sets. */
export type InfiniteQueryHookOptions<TPage> = Omit<
  UseInfiniteQueryOptions<TPage, MizanError, InfiniteData<TPage, CursorParam>, MizanInfiniteQueryKey, CursorParam>,
  "queryKey" | "queryFn" | "initialPageParam" | "getNextPageParam"
>;

/**
 * `useInfiniteQuery` for cursor query `name` ({@link mizanInfiniteQueryOptions}):
 * `data.pages` are the pages read so far, `fetchNextPage()` reads the next
 * one with the last page's `next_cursor`, and `hasNextPage` is false once a
 * page's `next_cursor` is `null`.
 */
export function useMizanInfiniteQuery<TArgs extends { cursor?: string | null | undefined }, TPage extends CursorPageLike>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TPage>,
  args: Omit<TArgs, "cursor">,
  options?: InfiniteQueryHookOptions<TPage>,
): UseInfiniteQueryResult<InfiniteData<TPage, CursorParam>, MizanError> {
  return useInfiniteQuery({ ...options, ...mizanInfiniteQueryOptions(name, fn, args) });
}
