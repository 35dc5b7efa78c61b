/**
 * The page's one TanStack `QueryClient`, owned by mizan's entries: the SSR
 * worker makes one per render ({@link createServerQueryClient}) and the
 * browser entry one per page ({@link createPageQueryClient}), and each puts
 * {@link PageQueries} around the page, so components never bring their own
 * provider.
 *
 * On the server, query hooks ask the host for their data through the render
 * (`ServerRender.call`) and the render waits for it; what they read is
 * written into the page ({@link dehydratePage}: TanStack Query's dehydrated
 * state, a failed query carrying its error envelope), and the browser seeds
 * its client from it ({@link hydratePage}) before hydrating, so no request is
 * made for them.
 *
 * A subpath of its own (`@mizan/client/react/page-queries`): React and
 * TanStack Query only.
 *
 * @module
 */

import {
  dehydrate,
  hydrate,
  QueryClientProvider,
  type DehydratedState,
  type Query,
  type QueryClient,
} from "@tanstack/react-query";
import { createElement, type ReactNode } from "react";
import { decodeEnvelope } from "../decode.js";
import { isMizanError, type MizanError } from "../errors.js";
import { createQueryClient } from "./query-client.js";
import type { ServerRender } from "./root.js";

/**
 * How long the data a page arrived with counts as fresh in the browser, from
 * hydration: mounting the components that read it makes no request.
 */
export const PAGE_DATA_FRESH_MS = 30_000;

/** The error envelopes of the failed server queries, by their error. */
const envelopes = new WeakMap<object, unknown>();

/**
 * The `QueryClient` of one server render: nothing is retried or refetched
 * (a render reads each query once), and a failed query stays failed, so it
 * renders its error state.
 */
export function createServerQueryClient(): QueryClient {
  return createQueryClient({
    defaultOptions: { queries: { retry: false, retryOnMount: false, staleTime: Infinity, gcTime: Infinity } },
  });
}

/**
 * The query function of query `name` with `args` in a server render: the
 * host runs it (`render.call`); the data, or the error its envelope holds.
 */
export async function serverQuery(render: ServerRender, name: string, args: unknown): Promise<unknown> {
  const envelope = await render.call(name, (args ?? {}) as Record<string, unknown>);
  const outcome = decodeEnvelope(envelope, undefined);
  if (outcome === undefined) throw new Error(`mizan: the host answered ${name} with no envelope`);
  if (outcome.ok) return outcome.data;
  envelopes.set(outcome.error, envelope);
  throw outcome.error;
}

/** Whether a query belongs in the page: settled (data or error). */
function settled(query: Query): boolean {
  return query.state.status === "success" || query.state.status === "error";
}

/**
 * The queries a render read, for `#mizan-queries`: TanStack Query's
 * dehydrated state of the settled ones, each failed query's `error` its
 * envelope (`{"error": {…}}`). `undefined` when it read none.
 */
export function dehydratePage(client: QueryClient): DehydratedState | undefined {
  const state = dehydrate(client, { shouldDehydrateQuery: settled, shouldRedactErrors: () => false });
  if (state.queries.length === 0) return undefined;
  const queries = state.queries.map((q) => {
    if (q.state.error === null || q.state.error === undefined) return q;
    const error = q.state.error as object;
    const envelope = envelopes.get(error) ?? { error: wireError(error) };
    return { ...q, state: { ...q.state, error: envelope as Error } };
  });
  return { ...state, queries: queries.map(({ promise: _p, ...q }) => q) };
}

/** A thrown value as a wire error object. */
function wireError(error: unknown): Record<string, unknown> {
  if (isMizanError(error)) {
    const e: MizanError = error;
    return {
      code: e.code,
      message: e.message,
      ...(Object.keys(e.fields).length > 0 ? { fields: e.fields } : {}),
      ...(e.requestId !== undefined ? { request_id: e.requestId } : {}),
    };
  }
  return { code: "INTERNAL", message: "the query failed during the server render" };
}

/**
 * A browser page's `QueryClient` ({@link createQueryClient}), seeded with
 * the page's `#mizan-queries` (`state`): those queries start with the
 * server's data (or error, as a {@link MizanError}) and are fresh for
 * {@link PAGE_DATA_FRESH_MS}, so hydration makes no request for them. A
 * query that failed is not tried again when a component mounts
 * (`retryOnMount: false`), only when refetched.
 */
export function createPageQueryClient(state?: unknown): QueryClient {
  const hydratedAt = Date.now();
  const seeded = new Map<string, number>();
  const client = createQueryClient({
    defaultOptions: {
      queries: {
        retryOnMount: false,
        staleTime: (query) => {
          const at = seeded.get(query.queryHash);
          if (at === undefined || query.state.dataUpdatedAt !== at) return 0;
          return Math.max(0, hydratedAt + PAGE_DATA_FRESH_MS - at);
        },
      },
    },
  });
  if (state !== undefined) hydratePage(client, state, seeded);
  return client;
}

/** Seeds `client` with a page's dehydrated queries; failed ones get their {@link MizanError} back. */
export function hydratePage(client: QueryClient, state: unknown, seeded?: Map<string, number>): void {
  const dehydrated = state as DehydratedState | null;
  if (dehydrated === null || typeof dehydrated !== "object" || !Array.isArray(dehydrated.queries)) return;
  const queries = dehydrated.queries.map((q) => {
    if (q.state.error === null || q.state.error === undefined) return q;
    const outcome = decodeEnvelope(q.state.error, undefined);
    const error = outcome !== undefined && !outcome.ok ? outcome.error : q.state.error;
    return { ...q, state: { ...q.state, error } };
  });
  hydrate(client, { ...dehydrated, queries });
  if (seeded !== undefined) {
    for (const q of queries) seeded.set(q.queryHash, q.state.dataUpdatedAt);
  }
}

/** Props of {@link PageQueries}. */
export interface PageQueriesProps {
  /** The page's client. */
  client: QueryClient;
  children?: ReactNode;
}

/** Provides the page's `QueryClient` to everything below it (TanStack's `QueryClientProvider`). */
export function PageQueries({ client, children }: PageQueriesProps): ReactNode {
  return createElement(QueryClientProvider, { client }, children);
}
