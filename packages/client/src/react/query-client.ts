/**
 * A TanStack `QueryClient` with retry defaults suited to mizan errors.
 *
 * @module
 */

import { QueryClient, type QueryClientConfig } from "@tanstack/react-query";
import { isMizanError } from "../errors.js";

/** How many times a query is retried after a transient failure (so at most 3 attempts). */
export const MAX_QUERY_RETRIES = 2;

/**
 * Whether an error may go away by itself: `NETWORK`, `UNAVAILABLE`,
 * `TIMEOUT`, and `BAD_RESPONSE` with a gateway status (502/503/504, e.g. a
 * proxy's HTML page during a deploy). Client errors (4xx), `INTERNAL` and
 * handler-defined codes are not transient; neither is a non-mizan error.
 */
export function isTransientError(error: unknown): boolean {
  if (!isMizanError(error)) return false;
  switch (error.code) {
    case "NETWORK":
    case "UNAVAILABLE":
    case "TIMEOUT":
      return true;
    case "BAD_RESPONSE":
      return error.status === 502 || error.status === 503 || error.status === 504;
    default:
      return false;
  }
}

/**
 * The default `retry` of queries made by {@link createQueryClient}: retry a
 * {@link isTransientError transient} failure up to {@link MAX_QUERY_RETRIES} times.
 * `failureCount` is TanStack's count of failures before this one.
 */
export function retryTransient(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_QUERY_RETRIES && isTransientError(error);
}

/**
 * Creates a `QueryClient` whose queries retry only transient mizan errors
 * ({@link retryTransient}). Anything in `config` wins over these defaults;
 * mutations keep TanStack's default of no retry.
 */
export function createQueryClient(config: QueryClientConfig = {}): QueryClient {
  const defaults = config.defaultOptions ?? {};
  return new QueryClient({
    ...config,
    defaultOptions: {
      ...defaults,
      queries: { retry: retryTransient, ...defaults.queries },
    },
  });
}
