import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { sourceConditions } from "../../vitest.source.ts";

/**
 * Integration tests: the client runtime and the generated code of
 * `examples/hello` against the real `hello` server (Rust), built and started
 * by `global-setup.ts`. Needs cargo, so it is outside the root project glob;
 * `scripts/test` runs it explicitly:
 *
 *     npx vitest run --config packages/client/test/integration/vitest.config.ts
 */
export default defineProject({
  ...sourceConditions,
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "client-integration",
    environment: "node",
    include: ["**/*.test.{ts,tsx}"],
    globalSetup: ["./global-setup.ts"],
    // cargo build may take a while on a cold cache; that happens in globalSetup,
    // which has no timeout. Calls themselves are local and fast.
    testTimeout: 15_000,
  },
});
