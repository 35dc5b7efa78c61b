// @vitest-environment jsdom
/**
 * Contexts against the real `hello` server: its pages embed the global
 * context `current_user` for the request's identity, the generated client
 * fetches the same value, and the example's own `Contexts` component,
 * inside the `Layout` the page names in Rust, hydrates the server's HTML
 * with the embedded value: no hydration error, no request for
 * `current_user`, nor for the local context `greet`, which the server read
 * during the render and embedded in `#mizan-queries`.
 */

import { flushSync } from "react-dom";
import { hydrateRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, setClient } from "@mizan/client";
import { CONTEXTS_ID, createPageQueryClient, MizanRoot, PageQueries } from "@mizan/client/react";
import { QUERIES_ID } from "@mizan/client/page";
import Contexts from "hello-frontend/frontend/components/Contexts";
import Layout from "hello-frontend/frontend/components/Layout";
import { currentUser } from "hello-frontend/frontend/generated";
import { baseUrl, bearer, origin, recordingFetch } from "./support";

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  expect(from, `${start} in the page`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(from + start.length);
  return rest.slice(0, rest.indexOf(end));
}

// hello serves its pages under a CSP: the script carries the response's nonce.
const CONTEXTS_OPEN = `<script type="application/json" id="${CONTEXTS_ID}" nonce="`;

async function page(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${origin}${path}`, { headers });
  expect(res.status).toBe(200);
  return res.text();
}

const contextsOf = (html: string): unknown => {
  const tag = between(html, CONTEXTS_OPEN, "</script>");
  return JSON.parse(tag.slice(tag.indexOf(">") + 1));
};

let root: Root | undefined;
afterEach(() => {
  root?.unmount();
  root = undefined;
  document.body.innerHTML = "";
});

describe("global contexts in hello's pages", () => {
  it("embed current_user for the request's identity, as the client function answers it", async () => {
    const anonymous = await page("/contexts/");
    expect(contextsOf(anonymous)).toEqual({ current_user: { data: null } });
    expect(anonymous).toContain('<p id="current-user" data-state="ready">Signed out</p>');

    const ada = await page("/contexts/", bearer("user"));
    expect(contextsOf(ada)).toEqual({ current_user: { data: { id: "ada", role: "user" } } });
    expect(ada).toContain('<p id="current-user" data-state="ready">Signed in as ada (user)</p>');
    // The local context is read during the render: the server HTML shows its value.
    expect(ada).toContain('<p id="greeting" data-state="ready">Hello, World!</p>');

    setClient(createClient({ baseUrl, headers: bearer("user") }));
    await expect(currentUser()).resolves.toEqual({ id: "ada", role: "user" });
    setClient(createClient({ baseUrl }));
    await expect(currentUser()).resolves.toBeNull();
  });

  it("leave /hello/'s body as it was, with the contexts beside it", async () => {
    const hello = await page("/hello/", bearer("staff"));
    expect(hello).toContain('<div id="mizan-root"><div>Hello, World!</div></div>');
    expect(contextsOf(hello)).toEqual({ current_user: { data: { id: "grace", role: "staff" } } });
  });

  it("hydrate the server HTML with the embedded value: no mismatch, no current_user request", async () => {
    const html = await page("/contexts/?name=Ada", bearer("staff"));
    // The page as the browser gets it: the root's HTML and the contexts script.
    document.body.innerHTML = `<div id="mizan-root">${between(html, '<div id="mizan-root">', "</div>\n<script")}</div>`;
    const script = document.createElement("script");
    script.type = "application/json";
    script.id = CONTEXTS_ID;
    const tag = between(html, CONTEXTS_OPEN, "</script>");
    script.textContent = tag.slice(tag.indexOf(">") + 1);
    document.body.appendChild(script);
    const queriesTag = between(html, `<script type="application/json" id="${QUERIES_ID}" nonce="`, "</script>");
    const queries: unknown = JSON.parse(queriesTag.slice(queriesTag.indexOf(">") + 1));

    const rec = recordingFetch();
    setClient(createClient({ baseUrl, fetch: rec.fetch, headers: bearer("staff") }));
    const recoverable: unknown[] = [];
    const container = document.getElementById("mizan-root") as HTMLElement;
    const user = () => container.querySelector("#current-user");
    const states: (string | null | undefined)[] = [];
    const observer = new MutationObserver(() => states.push(user()?.textContent));
    observer.observe(container, { subtree: true, childList: true, characterData: true });

    flushSync(() => {
      // As mizan's browser entry does: the page's one QueryClient, seeded from #mizan-queries.
      const page = (
        <MizanRoot contexts={contextsOf(html) as Record<string, unknown>}>
          <PageQueries client={createPageQueryClient(queries)}>
            <Layout>
              <Contexts name="Ada" />
            </Layout>
          </PageQueries>
        </MizanRoot>
      );
      root = hydrateRoot(container, page, { onRecoverableError: (e) => recoverable.push(e) });
    });
    await vi.waitFor(() => expect(container.querySelector("#greeting")?.textContent).toBe("Hello, Ada!"));
    observer.disconnect();

    expect(recoverable).toEqual([]);
    expect(user()?.textContent).toBe("Signed in as grace (staff)");
    expect(states.every((s) => s === "Signed in as grace (staff)")).toBe(true);
    const calls = rec.sent.map((r) => `${r.method} ${r.path}`);
    expect(calls.some((c) => c.includes("greet")), calls.join("\n")).toBe(false);
    expect(calls.some((c) => c.includes("current_user")), calls.join("\n")).toBe(false);

    // The refresh button refetches it through the client function.
    (container.querySelector("#refresh-user") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(rec.sent.some((r) => r.path.includes("current_user") || (r.body ?? "").includes("current_user"))).toBe(true));
    await vi.waitFor(() => expect(user()?.textContent).toBe("Signed in as grace (staff)"));
  });
});
