/**
 * {@link MizanProvider}.
 *
 * @module
 */

import { QueryClientContext, QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useContext, useRef, type ReactNode } from "react";
import type { MizanClient } from "../client.js";
import { getClient, setClient } from "../default-client.js";
import { MizanClientContext } from "./context.js";
import { createQueryClient } from "./query-client.js";

/** Props of {@link MizanProvider}. */
export interface MizanProviderProps {
  /** The client to use. Default: the current default client (`getClient()`). */
  client?: MizanClient;
  /**
   * The TanStack QueryClient. Default: the page's (mizan's entries provide
   * one around every server-rendered page), else one made by
   * `createQueryClient()`, kept for the provider's lifetime.
   */
  queryClient?: QueryClient;
  children?: ReactNode;
}

/**
 * Provides a {@link MizanClient} (read with `useMizanClient()`) and a TanStack
 * `QueryClientProvider`. The client also becomes the default client, so
 * generated functions and hooks call through it.
 *
 * ```tsx
 * <MizanProvider client={createClient({ baseUrl: "/api/mizan" })}>
 *   <App />
 * </MizanProvider>
 * ```
 */
export function MizanProvider({ client, queryClient, children }: MizanProviderProps): ReactNode {
  const resolved = client ?? getClient();
  // Done during render, not in an effect: children's effects (which start
  // their queries) run before this component's effects would.
  if (getClient() !== resolved) setClient(resolved);

  const page = useContext(QueryClientContext);
  const own = useRef<QueryClient | null>(null);
  if (queryClient === undefined && page === undefined && own.current === null) own.current = createQueryClient();
  const qc = queryClient ?? page ?? (own.current as QueryClient);

  return (
    <MizanClientContext.Provider value={resolved}>
      <QueryClientProvider client={qc}>{children}</QueryClientProvider>
    </MizanClientContext.Provider>
  );
}
