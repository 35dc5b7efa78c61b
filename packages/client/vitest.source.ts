import { defaultClientConditions, defaultServerConditions } from "vite";

/**
 * The workspace's export condition, for every vitest project here: imports
 * of `@mizan/client` and `@mizan/ssr` resolve to their TypeScript source
 * (the `@mizan/source` entries of their package.json `exports`), as they do
 * for `tsc -b`, so tests run what is in `src` without a build. Vite's own
 * conditions are kept: jsdom projects resolve as the client environment,
 * node projects as the server one.
 */
export const sourceConditions = {
  resolve: { conditions: ["@mizan/source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["@mizan/source", ...defaultServerConditions] } },
};
