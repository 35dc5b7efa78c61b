// Browser test: hello's layout (components/Layout.tsx) around /todos/ and
// /counter/: it is in the server HTML, hydrates without warnings, its own
// counter (#layout-counter) works beside the page's, and document.title is
// the page's (from Rust and the page's <Head>).
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/layout.test.mjs

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

/** Opens `url`, recording console warnings and errors, uncaught errors and failed requests. */
async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.location().url?.endsWith("/favicon.ico")) return;
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
  return { page, problems, response };
}

describe("hello's layout", () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer(helloBinary(), { MIZAN_ENV: "prod" });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
  });

  for (const [path, title] of [
    ["/todos/", "Todos"],
    ["/counter/", "Counter"],
  ]) {
    test(`${path} is inside the layout, whose counter works after hydration`, async () => {
      const { page, problems, response } = await openPage(browser.context, `${server.url}${path}`);
      const html = await response.text();
      assert.ok(html.includes('<div id="mizan-root"><div id="layout"><nav id="nav">'), html);
      assert.ok(html.includes(`<title>${title}</title>`), html);
      assert.equal(await page.title(), title);
      const hrefs = await page.locator("#nav a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      assert.deepEqual(hrefs, ["/", "/counter/", "/contexts/", "/contact/", "/todos/"]);
      assert.equal(await page.textContent("#layout-counter"), "Layout clicks: 0");
      await page.click("#layout-counter");
      await page.click("#layout-counter");
      await page.waitForFunction(() => document.querySelector("#layout-counter")?.textContent === "Layout clicks: 2");
      if (path === "/counter/") {
        // The page's own counter is another state.
        await page.click("#increment");
        await page.waitForFunction(() => document.querySelector("#count")?.textContent === "Clicks: 1");
        assert.equal(await page.textContent("#layout-counter"), "Layout clicks: 2");
      }
      assert.deepEqual(problems, [], "no hydration warning");
      await page.close();
    });
  }

  test("/ links every page and takes its title from <Head>", async () => {
    const { page, problems } = await openPage(browser.context, `${server.url}/`);
    assert.equal(await page.title(), "mizan hello");
    const hrefs = await page.locator("#pages a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    for (const href of ["/hello/", "/counter/", "/contexts/", "/contact/", "/todos/"]) assert.ok(hrefs.includes(href), href);
    assert.deepEqual(problems, [], "no hydration warning");
    await page.close();
  });
});
