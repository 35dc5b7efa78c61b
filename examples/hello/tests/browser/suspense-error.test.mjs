// Browser test: a streamed page whose suspense query fails, in headless
// Chromium. /slow-failing/ reads `failing_quote` (503 UNAVAILABLE after
// 300 ms) under `<Suspense>` inside an error boundary: the page answers
// 200, streamed; the shell with the fallback arrives first; React leaves
// the failed boundary to the browser, and the failed query's envelope is
// in `#mizan-queries`, so the browser renders the error boundary from it
// without calling `failing_quote` again; no uncaught error; the button
// outside the boundary works. In production and in dev mode.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/suspense-error.test.mjs

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

for (const mode of ["prod", "dev"]) describe(`a failed suspense query on a streamed page (${mode})`, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer(helloBinary(), { MIZAN_ENV: mode });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
  });

  test("the shell streams, the error boundary shows the code, the page stays interactive", async () => {
    // The first body chunk, as the server sends it.
    const raw = await fetch(`${server.url}/slow-failing/`);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("content-length"), null, "streamed");
    const reader = raw.body.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.ok(first.includes('<div id="mizan-root">') && first.includes("Loading…"), first);
    assert.ok(!first.includes("mizan-queries"), "the shell comes before the query settles");
    let html = first;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      html += new TextDecoder().decode(value);
    }
    assert.ok(!html.includes('id="mizan-error"'), "the render itself did not fail");
    const queries = JSON.parse(html.match(/<script[^>]*id="mizan-queries"[^>]*>([\s\S]*?)<\/script>/)[1]);
    const failed = queries.queries.find((q) => JSON.stringify(q.queryKey).includes("failing_quote"));
    assert.ok(failed, JSON.stringify(queries));
    assert.equal(failed.state.status, "error");
    assert.equal(failed.state.error.error.code, "UNAVAILABLE");

    const page = await browser.context.newPage();
    const uncaught = [];
    const consoleErrors = [];
    const requests = [];
    page.on("pageerror", (e) => uncaught.push(e.message));
    page.on("console", (msg) => {
      if (msg.location().url?.endsWith("/favicon.ico")) return;
      if (msg.type() === "error" || msg.type() === "warning") consoleErrors.push(msg.text());
    });
    page.on("request", (r) => {
      if (r.url().includes("/api/mizan/") && !r.url().includes("/api/mizan/assets/")) requests.push(r.url());
    });
    const response = await page.goto(`${server.url}/slow-failing/`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
    await page.waitForSelector("#quote-error", { timeout: 15_000 });
    assert.equal(await page.textContent("#quote-error"), "No quote (UNAVAILABLE)");
    assert.equal(await page.locator("#quote").count(), 0);
    assert.ok(!(await page.textContent("#mizan-root main")).includes("Loading…"));
    await page.click("#like");
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "Likes: 1");
    await page.click("#like");
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "Likes: 2");
    assert.deepEqual(uncaught, [], "no uncaught error");
    assert.deepEqual(requests, [], "failing_quote is not called again from the browser");
    // What the console shows: React's one report of the error it handed to
    // the boundary (its default `onCaughtError`), and no hydration warning.
    assert.equal(consoleErrors.length, 1, consoleErrors.join("\n---\n"));
    assert.ok(consoleErrors[0].includes("MizanError: the quote service is down"), consoleErrors[0]);
    await page.close();
  });
});
