import { defineProject } from "vitest/config";
import { sourceConditions } from "./vitest.source.ts";

/** React hook tests: jsdom, rendered with react-dom. */
export default defineProject({
  ...sourceConditions,
  test: {
    name: "client-react",
    environment: "jsdom",
    include: ["test/react/**/*.test.{ts,tsx}"],
  },
});
