import { defineConfig } from "vitest/config";

/**
 * Workspace test entry. Each package or example opts in with its own
 * `vitest.config.ts` (or `vitest.NAME.config.ts` for a second environment,
 * e.g. jsdom) declaring a unique `test.name`; `npx vitest run packages/client`
 * filters by path.
 */
export default defineConfig({
  test: {
    projects: ["packages/*/vitest*.config.ts", "examples/*/vitest*.config.ts"],
  },
});
