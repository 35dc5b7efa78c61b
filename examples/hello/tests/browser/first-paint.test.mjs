// Browser test: data in the first paint, in headless Chromium. /todos/
// arrives with `list_todos`'s titles rendered and in `#mizan-queries`, and
// hydrates without one API request or a hydration warning; /slow/ shows
// its fallback first, then the quote streamed in, hydrates, and its
// button works; in production and in dev mode.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

/** Opens `url` recording console problems and the API requests sent, from the first byte on. */
async function openPage(context, url, before) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.location().url?.endsWith("/favicon.ico")) return;
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (r.url().includes("/api/mizan/")) requests.push(`${r.method()} ${r.url()}`);
  });
  if (before) await before(page);
  const response = await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
  return { page, problems, requests, response };
}

for (const mode of ["prod", "dev"]) describe(`hello's data in the first paint (${mode})`, () => {
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

  test("/todos/ arrives with its todos and hydrates without an API request", async () => {
    const { page, problems, requests, response } = await openPage(browser.context, `${server.url}/todos/`);
    assert.equal(response.status(), 200);
    const html = await response.text();
    const root = html.match(/<div id="mizan-root">([\s\S]*?)<\/div>\n/)[1];
    for (const title of ["Buy milk", "Write docs", "Ship it"]) assert.ok(root.includes(title), root);
    assert.ok(html.includes('id="mizan-queries"'), html);
    assert.deepEqual(
      await page.locator("#todos li").allTextContents(),
      ["Buy milk", "Write docs", "Ship it"],
    );
    // The bundle's own request is the only one under the API prefix.
    const calls = requests.filter((r) => !r.includes("/api/mizan/assets/"));
    assert.deepEqual(calls, [], "no API request during load");
    assert.deepEqual(problems, [], "no hydration warning");
    await page.close();
  });

  test("/slow/ shows the fallback, then the quote; it hydrates and its button works", async () => {
    const { page, problems, requests, response } = await openPage(
      browser.context,
      `${server.url}/slow/`,
      async (p) => {
        // Records what the quote's place shows, from the first parse on.
        await p.addInitScript(() => {
          window.__seen = [];
          const record = () => {
            const main = document.querySelector("#mizan-root main");
            if (!main) return;
            const text = document.getElementById("quote")?.textContent ?? (main.textContent.includes("Loading…") ? "Loading…" : "");
            if (text !== "" && window.__seen.at(-1) !== text) window.__seen.push(text);
          };
          new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
        });
      },
    );
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["content-length"], undefined, "streamed");
    await page.waitForSelector("#quote");
    assert.equal(await page.textContent("#quote"), "Patience is a virtue");
    assert.deepEqual(await page.evaluate(() => window.__seen), ["Loading…", "Patience is a virtue"]);
    await page.click("#like");
    await page.waitForFunction(() => document.querySelector("#like")?.textContent === "Likes: 1");
    const calls = requests.filter((r) => !r.includes("/api/mizan/assets/"));
    assert.deepEqual(calls, [], "no API request during load");
    assert.deepEqual(problems, []);
    await page.close();
  });
});
