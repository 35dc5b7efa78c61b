/**
 * {@link MizanRoot}: the component mizan's own entries put around every
 * page, on the server (the SSR worker, once per render) and in the browser
 * (`@mizan/ssr/hydrate`), so both render the page with the same data.
 *
 * It renders no DOM of its own: the page's HTML is exactly the component's.
 * Everything that belongs to one render (the page's global contexts, and on
 * the server the render's way back to the host) travels through React
 * context, never through globals: two renders interleaved in one SSR
 * worker each see only their own.
 *
 * A subpath of its own (`@mizan/client/react/root`) that imports only
 * React, so the SSR worker and the browser entry load it without TanStack
 * Query; `@mizan/client/react` re-exports it, and both names are one
 * module, so one React context.
 *
 * @module
 */

import { createContext, createElement, useContext, useMemo, type ReactNode } from "react";

/**
 * What the SSR worker gives a page while it renders it on the server: the
 * render's own way back to the Rust host (see docs/protocol.md, "SSR
 * bridge"). `null` in the browser.
 */
export interface ServerRender {
  /** The host's id of this render. */
  readonly id: number;
  /**
   * Runs the query function `fn` on the host for this render, with the page
   * request's identity; resolves to the envelope `GET call/{fn}` would
   * answer (`{"data": …}` or `{"error": {…}}`), never rejects for an error
   * the host answered.
   */
  call(fn: string, args: Record<string, unknown>): Promise<unknown>;
  /** Sends part of the page's HTML ahead of the rest (a streamed render). */
  chunk(html: string): void;
  /** Puts `head` or `queries` into the render's final result, beside its HTML. */
  setResult(field: "head" | "queries", value: unknown): void;
  /** Aborted when the host gives up on the render (its deadline passed). */
  readonly signal: AbortSignal;
}

/** Props of {@link MizanRoot}. */
export interface MizanRootProps {
  /** The page's global contexts by name, each an envelope (`#mizan-contexts`). */
  contexts?: Record<string, unknown> | undefined;
  /** The server render, when rendering in the SSR worker. */
  server?: ServerRender | undefined;
  children?: ReactNode;
}

interface PageData {
  readonly contexts: Record<string, unknown> | undefined;
  readonly server: ServerRender | null;
}

const PageDataContext = createContext<PageData | null>(null);
PageDataContext.displayName = "MizanPage";

/** Provides the page's contexts (and, on the server, the render) to everything below it. */
export function MizanRoot({ contexts, server, children }: MizanRootProps): ReactNode {
  const value = useMemo<PageData>(() => ({ contexts, server: server ?? null }), [contexts, server]);
  return createElement(PageDataContext.Provider, { value }, children);
}

/** The page's global contexts as the nearest {@link MizanRoot} has them, or `undefined` outside one. */
export function usePageContexts(): Record<string, unknown> | undefined {
  return useContext(PageDataContext)?.contexts;
}

/** The server render this page is part of, or `null` (in the browser, or outside a {@link MizanRoot}). */
export function useServerRender(): ServerRender | null {
  return useContext(PageDataContext)?.server ?? null;
}
