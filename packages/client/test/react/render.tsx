/**
 * Minimal rendering helpers for hook tests: react-dom in jsdom, no testing
 * library. Updates come from real network I/O, so tests poll the DOM with
 * `vi.waitFor` instead of wrapping in `act`.
 */

import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";

export interface Rendered {
  container: HTMLElement;
  unmount(): void;
}

const mounted = new Set<Rendered>();

export function render(ui: ReactNode): Rendered {
  const container = document.createElement("div");
  document.body.appendChild(container);
  const root = createRoot(container);
  root.render(ui);
  const r: Rendered = {
    container,
    unmount() {
      if (!mounted.delete(r)) return;
      root.unmount();
      container.remove();
    },
  };
  mounted.add(r);
  return r;
}

/** Unmounts everything `render` mounted (call in `afterEach`). */
export function cleanup(): void {
  for (const r of [...mounted]) r.unmount();
}
