import { defineProject } from "vitest/config";

/** React hook tests: jsdom, rendered with react-dom. */
export default defineProject({
  test: {
    name: "client-react",
    environment: "jsdom",
    include: ["test/react/**/*.test.{ts,tsx}"],
  },
});
