/**
 * `@mizan/client/react`: the provider and the hooks generated code builds on
 * (TanStack Query 5).
 *
 * @packageDocumentation
 */

export { MizanProvider, type MizanProviderProps } from "./provider.js";
export { useMizanClient } from "./use-mizan-client.js";
export { useMizanQuery, type QueryHookOptions } from "./use-mizan-query.js";
export { useMizanSuspenseQuery, type SuspenseQueryHookOptions } from "./use-mizan-suspense-query.js";
export {
  mizanQueryOptions,
  mizanInfiniteQueryOptions,
  type MizanQueryOptions,
  type MizanInfiniteQueryOptions,
  type CursorPageLike,
  type CursorParam,
} from "./query-options.js";
export { useMizanInfiniteQuery, type InfiniteQueryHookOptions } from "./use-mizan-infinite-query.js";
export { useMizanMutation, type MutationHookOptions, type OptimisticCache } from "./use-mizan-mutation.js";
export {
  useMizanStream,
  useMizanStreamMutation,
  type StreamHookOptions,
  type StreamHookResult,
  type StreamMutationHookOptions,
  type StreamMutationHookResult,
  type StreamStatus,
} from "./use-mizan-stream.js";
export { useMizanChannel, type ChannelHookOptions, type ChannelHookResult } from "./use-mizan-channel.js";
export { createQueryClient, retryTransient, isTransientError, MAX_QUERY_RETRIES } from "./query-client.js";
export { useGlobalContext } from "./use-global-context.js";
export {
  createLocalContext,
  useLocalContext,
  type LocalContextProvider,
  type LocalContextProviderProps,
  type ContextQuery,
} from "./local-context.js";
export { readPageContext, usePageContext, CONTEXTS_ID, type PageContext } from "./page-contexts.js";
export {
  PageQueries,
  createPageQueryClient,
  createServerQueryClient,
  dehydratePage,
  hydratePage,
  serverQuery,
  PAGE_DATA_FRESH_MS,
  type PageQueriesProps,
} from "./page-queries.js";
export { Head, type HeadProps } from "./head.js";
export {
  MizanRoot,
  usePageContexts,
  useServerRender,
  type MizanRootProps,
  type ServerRender,
} from "./root.js";
export { useMizanForm, type MizanFormOptions, type MizanFormResult, type ZodMizanForm } from "./use-mizan-form.js";
