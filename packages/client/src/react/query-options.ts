/**
 * {@link mizanQueryOptions}: what generated `…QueryOptions(args)` factories
 * return, and the one place a query's key and function are put together (the
 * query hooks use it too, so a factory and a hook share their cache entry).
 *
 * @module
 */

import {
  infiniteQueryOptions,
  queryOptions,
  type InfiniteData,
  type QueryKeyWithDataTag,
  type UnusedSkipTokenInfiniteOptions,
  type UnusedSkipTokenOptions,
} from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import { infiniteQueryKey, queryKey, type MizanInfiniteQueryKey, type MizanQueryKey } from "../query-key.js";

/**
 * TanStack Query options of one call of a server query: its `queryKey`
 * (`["mizan", name, args]`, tagged with the data and error types, so
 * `queryClient.getQueryData(o.queryKey)` is typed) and its `queryFn`. Pass it
 * to `useQuery`, `useSuspenseQuery`, `useQueries`, `queryClient.prefetchQuery`,
 * `fetchQuery` or `ensureQueryData`; spread it to add options
 * (`useQuery({ ...o, staleTime: 60_000 })`).
 */
export type MizanQueryOptions<TOut, TError = MizanError> = UnusedSkipTokenOptions<
  TOut,
  TError,
  TOut,
  MizanQueryKey
> &
  QueryKeyWithDataTag<MizanQueryKey, TOut, TError>;

/**
 * The options of query `name` called with `args`: keyed by
 * `queryKey(name, args)`, calling `fn(args, { signal })` with TanStack's abort
 * signal, so a cancelled query aborts its request.
 */
export function mizanQueryOptions<TArgs, TOut, TError = MizanError>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  args: TArgs,
): MizanQueryOptions<TOut, TError> {
  return queryOptions<TOut, TError, TOut, MizanQueryKey>({
    queryKey: queryKey(name, args),
    queryFn: ({ signal }) => fn(args, { signal }),
  });
}

/** A page of a cursor query: `mizan::CursorPage<T>`, or any output with its `next_cursor`. */
export interface CursorPageLike {
  /** The next page's `cursor`; `null` on the last page. */
  next_cursor: string | null;
}

/** The page parameter of a cursor query's infinite query: the `cursor` sent (`null`: the first page). */
export type CursorParam = string | null;

/**
 * TanStack Query options of the infinite query of a cursor query (see
 * {@link mizanInfiniteQueryOptions}): its key (tagged with the data, the
 * pages and their cursors), `queryFn`, `initialPageParam` and
 * `getNextPageParam`. Pass it to `useInfiniteQuery`,
 * `useSuspenseInfiniteQuery`, `queryClient.prefetchInfiniteQuery` or
 * `fetchInfiniteQuery`.
 */
export type MizanInfiniteQueryOptions<TPage> = UnusedSkipTokenInfiniteOptions<
  TPage,
  MizanError,
  InfiniteData<TPage, CursorParam>,
  MizanInfiniteQueryKey,
  CursorParam
> &
  QueryKeyWithDataTag<MizanInfiniteQueryKey, InfiniteData<TPage>, MizanError>;

/**
 * The infinite query of cursor query `name` with `args` (every argument but
 * `cursor`): keyed by `infiniteQueryKey(name, args)`; the first page is
 * `fn(args)` (no cursor), each next one `fn({ ...args, cursor })` with the
 * `next_cursor` of the page before, until one has `null`. The cursor is the
 * page parameter, so `data.pageParams` lists the cursors sent.
 */
export function mizanInfiniteQueryOptions<TArgs extends { cursor?: string | null | undefined }, TPage extends CursorPageLike>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TPage>,
  args: Omit<TArgs, "cursor">,
): MizanInfiniteQueryOptions<TPage> {
  return infiniteQueryOptions<TPage, MizanError, InfiniteData<TPage, CursorParam>, MizanInfiniteQueryKey, CursorParam>({
    queryKey: infiniteQueryKey(name, args),
    queryFn: ({ pageParam, signal }) =>
      fn((pageParam === null ? args : { ...args, cursor: pageParam }) as TArgs, { signal }),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
