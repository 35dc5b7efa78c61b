/**
 * The benchmark's pages for the Bun servers, from `pages.json` (the table
 * the Rust servers read too): each route with its component, imported from
 * `bench/ssr/components`, and its props.
 */
import type { ComponentType } from "react";

/** One page: its route, component and props. */
export type Page = {
  route: string;
  name: string;
  component: ComponentType<Record<string, unknown>>;
  props: Record<string, unknown>;
};

type Row = { route: string; component: string; props: string };

const here = import.meta.dir;

/** The pages of `pages.json`, their components imported and props loaded. */
export async function loadPages(): Promise<Page[]> {
  const rows = (await Bun.file(`${here}/pages.json`).json()) as Row[];
  return Promise.all(
    rows.map(async (row) => {
      const mod = (await import(`${here}/../ssr/components/${row.component}.tsx`)) as {
        default: ComponentType<Record<string, unknown>>;
      };
      const props = (await Bun.file(`${here}/${row.props}`).json()) as Record<string, unknown>;
      return { route: row.route, name: row.component, component: mod.default, props };
    }),
  );
}

/** The port a server listens on: its first argument. */
export function portArg(): number {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) throw new Error("usage: bun SCRIPT.ts PORT");
  return port;
}
