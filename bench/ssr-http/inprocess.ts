/**
 * The in-process Bun setup of bench/ssr-http/run.sh: `Bun.serve` rendering
 * each page with react-dom/server's `renderToString` in the same process and
 * wrapping it in the page (`page.ts`). run.sh starts two, sharing the port
 * (`reusePort`). Run with NODE_ENV=production.
 *
 *   bun bench/ssr-http/inprocess.ts PORT
 */
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { PAGE_HEADERS, documentFor, scriptUrl } from "./page.ts";
import { loadPages, portArg, type Page } from "./pages.ts";

function handler(page: Page): () => Response {
  const script = scriptUrl(page.name);
  return () => {
    const html = renderToString(createElement(page.component, page.props));
    const body = documentFor(html, JSON.stringify(page.props), script);
    return new Response(body, { headers: PAGE_HEADERS });
  };
}

const routes: Record<string, () => Response> = {};
for (const page of await loadPages()) routes[page.route] = handler(page);

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: portArg(),
  reusePort: true,
  routes,
  fetch: () => new Response("not found", { status: 404 }),
});
console.log(`listening on ${server.url}`);
