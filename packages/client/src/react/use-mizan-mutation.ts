/**
 * {@link useMizanMutation}: the hook generated mutation hooks delegate to.
 *
 * @module
 */

import {
  useMutation,
  useQueryClient,
  type UseMutationOptions,
  type UseMutationResult,
} from "@tanstack/react-query";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";

/** Options of a generated mutation hook: TanStack's `useMutation` options minus the function. */
export type MutationHookOptions<TOut, TArgs, TOnMutateResult = unknown> = Omit<
  UseMutationOptions<TOut, MizanError, TArgs, TOnMutateResult>,
  "mutationFn"
>;

/**
 * `useMutation` calling `fn(args)`. On success it invalidates every cached
 * call of each query named in `invalidates` (keys starting with
 * `["mizan", name]`), waits for the active ones to refetch, then runs the
 * caller's `onSuccess`.
 */
export function useMizanMutation<TArgs, TOut, TOnMutateResult = unknown>(
  fn: (args: TArgs, opts?: CallOptions) => Promise<TOut>,
  invalidates: readonly string[],
  options?: MutationHookOptions<TOut, TArgs, TOnMutateResult>,
): UseMutationResult<TOut, MizanError, TArgs, TOnMutateResult> {
  const queryClient = useQueryClient();
  return useMutation<TOut, MizanError, TArgs, TOnMutateResult>({
    ...options,
    mutationFn: (args) => fn(args),
    onSuccess: async (data, variables, onMutateResult, context) => {
      await Promise.all(invalidates.map((name) => queryClient.invalidateQueries({ queryKey: ["mizan", name] })));
      return options?.onSuccess?.(data, variables, onMutateResult, context);
    },
  });
}
