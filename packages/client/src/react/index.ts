/**
 * `@mizan/client/react`: the provider and the hooks generated code builds on
 * (TanStack Query 5).
 *
 * @packageDocumentation
 */

export { MizanProvider, type MizanProviderProps } from "./provider";
export { useMizanClient } from "./use-mizan-client";
export { useMizanQuery, type QueryHookOptions } from "./use-mizan-query";
export { useMizanMutation, type MutationHookOptions } from "./use-mizan-mutation";
export { useMizanChannel, type ChannelHookOptions, type ChannelHookResult } from "./use-mizan-channel";
export { createQueryClient, retryTransient, isTransientError, MAX_QUERY_RETRIES } from "./query-client";
export { useGlobalContext } from "./use-global-context";
export {
  createLocalContext,
  useLocalContext,
  type LocalContextProvider,
  type LocalContextProviderProps,
  type ContextQuery,
} from "./local-context";
export { readPageContext, CONTEXTS_ID, SSR_CONTEXTS_KEY, type PageContext } from "./page-contexts";
export { useMizanForm, type MizanFormOptions, type MizanFormResult, type ZodMizanForm } from "./use-mizan-form";
