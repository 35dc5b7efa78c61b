/**
 * {@link useMizanMutation}: the hook generated mutation hooks delegate to,
 * with optimistic updates ({@link OptimisticCache}).
 *
 * @module
 */

import {
  useMutation,
  useQueryClient,
  type InferDataFromTag,
  type QueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseMutationResult,
} from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";

/**
 * The cached query data a mutation changes before the server answers
 * (`optimistic` in {@link MutationHookOptions}).
 */
export interface OptimisticCache {
  /**
   * Replaces the cached data of one query with `change(data)`: `target` is
   * a generated factory's options (`listTodosQueryOptions({})`, or an
   * infinite one, whose data is its pages) or their `queryKey`, which type
   * `data`. A query with no data cached is left alone. Its fetches in
   * flight are cancelled first, so they cannot overwrite the change.
   */
  update<TKey extends QueryKey>(
    target: TKey | { queryKey: TKey },
    change: (data: InferDataFromTag<unknown, TKey>) => InferDataFromTag<unknown, TKey>,
  ): Promise<void>;
}

/**
 * Options of a generated mutation hook: TanStack's `useMutation` options minus
 * the function, plus `optimistic`. `TError` is the function's error union when
 * it declares errors (`ReserveError`), else {@link MizanError}.
 */
export type MutationHookOptions<TOut, TArgs, TOnMutateResult = unknown, TError = MizanError> = Omit<
  UseMutationOptions<TOut, TError, TArgs, TOnMutateResult>,
  "mutationFn"
> & {
  /**
   * Applies the mutation's expected effect to cached queries before the
   * request (`cache.update(listTodosQueryOptions({}), (todos) => [...todos, draft])`):
   * the UI shows it at once. When the mutation fails, every query it changed
   * gets its data back; whether it fails or not, the queries in the
   * function's `invalidates` are then refetched, so the cache ends as the
   * server has it. Runs before `onMutate`.
   */
  optimistic?: (args: TArgs, cache: OptimisticCache) => void | Promise<void>;
};

/** What `onMutate` hands on: the caller's result, and how to undo the optimistic changes. */
interface Context<TOnMutateResult> {
  caller: TOnMutateResult;
  undo: (() => void) | undefined;
}

/** Runs `optimistic(args, cache)`; the undo of what it changed. */
async function applyOptimistic<TArgs>(
  queryClient: QueryClient,
  optimistic: (args: TArgs, cache: OptimisticCache) => void | Promise<void>,
  args: TArgs,
): Promise<() => void> {
  const saved: { key: QueryKey; data: unknown }[] = [];
  const cache: OptimisticCache = {
    async update(target, change) {
      const key = (Array.isArray(target) ? target : (target as { queryKey: QueryKey }).queryKey) as QueryKey;
      await queryClient.cancelQueries({ queryKey: key, exact: true });
      const before: unknown = queryClient.getQueryData(key);
      if (before === undefined) return;
      saved.push({ key, data: before });
      queryClient.setQueryData(key, change(before as never));
    },
  };
  try {
    await optimistic(args, cache);
  } catch (e) {
    undo(queryClient, saved);
    throw e;
  }
  return () => undo(queryClient, saved);
}

/** Puts back what `saved` holds, the last change first. */
function undo(queryClient: QueryClient, saved: { key: QueryKey; data: unknown }[]): void {
  for (const { key, data } of [...saved].reverse()) queryClient.setQueryData(key, data);
}

/**
 * `useMutation` calling `fn(args)`. On success it invalidates every cached
 * call of each query named in `invalidates` (keys starting with
 * `["mizan", name]`), waits for the active ones to refetch, then runs the
 * caller's `onSuccess`. With `optimistic`, the cache is changed before the
 * request, put back on failure, and the `invalidates` queries are refetched
 * once the mutation settles, failed or not.
 */
export function useMizanMutation<TArgs, TOut, TOnMutateResult = unknown, TError = MizanError>(
  fn: (args: TArgs, opts?: CallOptions) => Promise<TOut>,
  invalidates: readonly string[],
  options?: MutationHookOptions<TOut, TArgs, TOnMutateResult, TError>,
): UseMutationResult<TOut, TError, TArgs, TOnMutateResult> {
  const queryClient = useQueryClient();
  const refetch = (): Promise<unknown> =>
    Promise.all(invalidates.map((name) => queryClient.invalidateQueries({ queryKey: ["mizan", name] })));
  const { optimistic, onMutate, onSuccess, onError, onSettled, ...rest } = options ?? {};
  const plain: UseMutationOptions<TOut, TError, TArgs, TOnMutateResult> = {
    ...rest,
    mutationFn: (args) => fn(args),
    ...(onMutate && { onMutate }),
    ...(onError && { onError }),
    ...(onSettled && { onSettled }),
    onSuccess: async (data, variables, onMutateResult, context) => {
      await refetch();
      return onSuccess?.(data, variables, onMutateResult, context);
    },
  };
  // The caller's callbacks see their own `onMutate` result; the undo rides beside it.
  const withUndo: UseMutationOptions<TOut, TError, TArgs, Context<TOnMutateResult>> = {
    ...rest,
    mutationFn: (args) => fn(args),
    onMutate: async (variables, context) => {
      const undo = optimistic ? await applyOptimistic(queryClient, optimistic, variables) : undefined;
      try {
        const caller = (await onMutate?.(variables, context)) as TOnMutateResult;
        return { caller, undo };
      } catch (e) {
        undo?.();
        throw e;
      }
    },
    onSuccess: (data, variables, ctx, context) =>
      onSuccess?.(data, variables, ctx?.caller as TOnMutateResult, context),
    onError: (error, variables, ctx, context) => {
      ctx?.undo?.();
      return onError?.(error, variables, ctx?.caller, context);
    },
    onSettled: async (data, error, variables, ctx, context) => {
      await refetch();
      return onSettled?.(data, error, variables, ctx?.caller, context);
    },
  };
  const result = useMutation(
    (optimistic === undefined ? plain : withUndo) as UseMutationOptions<TOut, TError, TArgs, unknown>,
  );
  return result as unknown as UseMutationResult<TOut, TError, TArgs, TOnMutateResult>;
}
