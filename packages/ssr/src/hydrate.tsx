/**
 * The browser side of a mizan page: hydrates `#mizan-root` with the same
 * component and the same props the server rendered.
 *
 * mizan generates one entry per component:
 *
 *     import Component from "/abs/path/components/Hello.tsx";
 *     import { hydrate } from "@mizan/ssr/hydrate";
 *     hydrate(Component);
 *
 * A page inside layouts (`#mizan-page` names them in `layouts`, outermost
 * first) gets an entry that imports them too and passes them by name:
 *
 *     hydrate(Component, { "components/Layout.tsx": Layout });
 *
 * The page is rendered inside them as the worker rendered it: the outermost
 * layout around the next, the innermost around the page, each given the
 * part inside it as `children`.
 *
 * and bundles it with `bun build`, so the component and this module share
 * one React. The page is wrapped in `MizanRoot` with the page's contexts,
 * as the SSR worker wraps it, so the server HTML and the first browser
 * render agree.
 */

import { CONTEXTS_ID, ERROR_ID, PAGE_ID, PROPS_ID, QUERIES_ID, ROOT_ID } from "@mizan/client/page";
import { createPageQueryClient, PageQueries } from "@mizan/client/react/page-queries";
import { MizanRoot } from "@mizan/client/react/root";
import { createElement, useEffect, type ComponentType, type ReactNode } from "react";
import { hydrateRoot, type Root } from "react-dom/client";

export { CONTEXTS_ID, ERROR_ID, PAGE_ID, PROPS_ID, QUERIES_ID, ROOT_ID };

/** A layout component: it renders the page (or the next layout) as its `children`. */
export type LayoutComponent = ComponentType<{ children: ReactNode }>;

/** The layouts `#mizan-page` names (outermost first), or `[]`. */
export function readLayouts(): string[] {
  const layouts = readScript(PAGE_ID)?.["layouts"];
  return Array.isArray(layouts) ? layouts.filter((l): l is string => typeof l === "string") : [];
}

function readJson(id: string): Record<string, unknown> {
  return readScript(id) ?? {};
}

function readScript(id: string): Record<string, unknown> | undefined {
  const el = document.getElementById(id);
  if (!el || !el.textContent) return undefined;
  return JSON.parse(el.textContent) as Record<string, unknown>;
}

/**
 * The queries the server render read (`#mizan-queries`, TanStack Query's
 * dehydrated state), or `undefined` when it read none.
 */
export function readQueries(): Record<string, unknown> | undefined {
  return readScript(QUERIES_ID);
}

/** The props the server rendered the page with. */
export function readProps(): Record<string, unknown> {
  return readJson(PROPS_ID);
}

/**
 * Context values the server embedded beside the props, by context name: each
 * the envelope a call answers, `{ data }` or `{ error }` (see docs/manifest.md).
 * The generated context hooks read them through `@mizan/client/react`.
 */
export function readContexts(): Record<string, unknown> {
  return readJson(CONTEXTS_ID);
}

/** Marks the root once React has hydrated it (adds no DOM of its own). */
function Hydrated({ container, children }: { container: HTMLElement; children: ReactNode }) {
  useEffect(() => {
    container.dataset["mizanHydrated"] = "true";
    container.dispatchEvent(new CustomEvent("mizan:hydrated", { bubbles: true }));
  }, [container]);
  return children;
}

/**
 * Hydrates the server-rendered page with `Component`. Once hydrated, the
 * root gets `data-mizan-hydrated="true"` and dispatches `mizan:hydrated`. Returns the React
 * root, or `null` when the page has no `#mizan-root`, or when it ends with
 * `#mizan-error` (a streamed page whose render failed after its shell was
 * sent: the error is reported on the console and the page is not hydrated).
 *
 * The page gets one QueryClient, seeded with `#mizan-queries`, so the
 * queries the server read are not fetched again.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function hydrate(Component: ComponentType<any>, layouts: Record<string, LayoutComponent> = {}): Root | null {
  const container = document.getElementById(ROOT_ID);
  if (!container) {
    console.error(`mizan: no #${ROOT_ID} element to hydrate`);
    return null;
  }
  const failed = readScript(ERROR_ID);
  if (failed !== undefined) {
    console.error("mizan: the server could not finish this page; it is not hydrated", failed["error"] ?? failed);
    return null;
  }
  let content: ReactNode = createElement(Component, readProps());
  const names = readLayouts();
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i] as string;
    const layout = layouts[name];
    if (layout === undefined) {
      console.error(`mizan: the page names the layout ${name}, which its bundle lacks; it is not hydrated`);
      return null;
    }
    content = createElement(layout, { children: content });
  }
  const client = createPageQueryClient(readQueries());
  const queries = createElement(PageQueries, { client, children: content });
  const page = createElement(MizanRoot, { contexts: readContexts(), children: queries });
  const element = createElement(Hydrated, { container, children: page });
  return hydrateRoot(container, element, {
    onRecoverableError(error: unknown) {
      console.error("mizan: hydration error", error);
    },
  });
}
