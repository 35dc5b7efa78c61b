/**
 * The render server of the Inertia-style setup (bench/ssr-http/run.sh): a
 * `Bun.serve` answering `POST /render` with a JSON body `{"component", "props"}`
 * by the component's `renderToString` HTML (text/html), as Inertia's SSR
 * server does for its page object. The component is one of `pages.json`'s. run.sh starts two,
 * sharing the port (`reusePort`); the sidecar (`sidecar.rs`) wraps the HTML
 * in the page. Run with NODE_ENV=production.
 *
 *   bun bench/ssr-http/render-server.ts PORT
 */
import type { ComponentType } from "react";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { loadPages, portArg } from "./pages.ts";

const components = new Map<string, ComponentType<Record<string, unknown>>>();
for (const page of await loadPages()) components.set(page.name, page.component);

type RenderRequest = { component?: unknown; props?: unknown };

function fail(status: number, message: string): Response {
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

async function render(req: Request): Promise<Response> {
  let body: RenderRequest;
  try {
    body = (await req.json()) as RenderRequest;
  } catch {
    return fail(400, "the body is not JSON");
  }
  const component = typeof body.component === "string" ? components.get(body.component) : undefined;
  if (!component) return fail(404, `no component ${JSON.stringify(body.component)}`);
  if (typeof body.props !== "object" || body.props === null || Array.isArray(body.props)) {
    return fail(400, "props must be a JSON object");
  }
  const html = renderToString(createElement(component, body.props as Record<string, unknown>));
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: portArg(),
  reusePort: true,
  routes: { "/render": { POST: render } },
  fetch: () => fail(404, "not found"),
});
console.log(`listening on ${server.url}`);
