import { defineProject } from "vitest/config";
import { sourceConditions } from "./vitest.source.ts";

/** Core tests: plain Node, no DOM. */
export default defineProject({
  ...sourceConditions,
  test: {
    name: "client",
    environment: "node",
    include: ["test/**/*.test.ts"],
    exclude: ["test/react/**", "test/integration/**"],
  },
});
