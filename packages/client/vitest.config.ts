import { defineProject } from "vitest/config";

/** Core tests: plain Node, no DOM. */
export default defineProject({
  test: {
    name: "client",
    environment: "node",
    include: ["test/**/*.test.ts"],
    exclude: ["test/react/**", "test/integration/**"],
  },
});
