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
 * and bundles it with `bun build`, so the component and this module share
 * one React. The page is wrapped in `MizanRoot` with the page's contexts,
 * as the SSR worker wraps it, so the server HTML and the first browser
 * render agree.
 */

import { CONTEXTS_ID, PROPS_ID, ROOT_ID } from "@mizan/client/page";
import { MizanRoot } from "@mizan/client/react/root";
import { createElement, useEffect, type ComponentType, type ReactNode } from "react";
import { hydrateRoot, type Root } from "react-dom/client";

export { CONTEXTS_ID, PROPS_ID, ROOT_ID };

function readJson(id: string): Record<string, unknown> {
  const el = document.getElementById(id);
  if (!el || !el.textContent) return {};
  return JSON.parse(el.textContent) as Record<string, unknown>;
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
 * root, or `null` when the page has no `#mizan-root`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function hydrate(Component: ComponentType<any>): Root | null {
  const container = document.getElementById(ROOT_ID);
  if (!container) {
    console.error(`mizan: no #${ROOT_ID} element to hydrate`);
    return null;
  }
  const page = createElement(MizanRoot, { contexts: readContexts(), children: createElement(Component, readProps()) });
  const element = createElement(Hydrated, { container, children: page });
  return hydrateRoot(container, element, {
    onRecoverableError(error: unknown) {
      console.error("mizan: hydration error", error);
    },
  });
}
