// Browser test: /feed/ in headless Chromium. The infinite list
// (`useFeedInfinite`) shows the first 20 items, and "Load more" reads the
// next page with the last page's cursor, to the end; the countdown
// (`useCountdown`) streams its numbers in over a real fetch body, and
// "Stop" aborts the request.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

/** A page recording console problems and the API requests it sends. */
async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const aborted = [];
  page.on("console", (msg) => {
    if (msg.location().url?.endsWith("/favicon.ico")) return;
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (r.url().includes("/api/mizan/call/")) requests.push(decodeURIComponent(r.url().split("/api/mizan/")[1]));
  });
  page.on("requestfailed", (r) => {
    // A stopped stream is an aborted request; anything else is a problem.
    if (r.failure()?.errorText === "net::ERR_ABORTED" && r.url().includes("/call/countdown")) aborted.push(r.url());
    else problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
  return { page, problems, requests, aborted, response };
}

describe("hello's /feed/", () => {
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

  test("shows the feed's first page and loads more by cursor, to the end", async () => {
    const { page, problems, requests, response } = await openPage(browser.context, `${server.url}/feed/`);
    assert.equal(response.status(), 200);
    const feed = page.locator("#feed");
    await page.waitForSelector('#feed[data-state="more"][data-count="20"]');
    assert.equal(await feed.locator("li").first().textContent(), "Item 1");
    assert.equal(await feed.locator("li").last().textContent(), "Item 20");

    await page.click("#load-more");
    await page.waitForSelector('#feed[data-count="40"]');
    assert.equal(await feed.locator("li").nth(20).textContent(), "Item 21");
    assert.equal(await feed.locator("li").last().textContent(), "Item 40");
    const feeds = requests.filter((r) => r.startsWith("call/feed"));
    assert.deepEqual(feeds, ["call/feed", 'call/feed?input={"cursor":"20"}']);

    // Every other page, one click each, until the button is spent.
    for (let count = 60; count <= 1000; count += 20) {
      await page.waitForSelector("#load-more:not([disabled])");
      await page.click("#load-more");
      await page.waitForSelector(`#feed[data-count="${count}"]`);
    }
    await page.waitForSelector('#feed[data-state="end"]');
    assert.equal(await feed.locator("li").count(), 1000);
    assert.equal(await feed.locator("li").last().textContent(), "Item 1000");
    assert.equal(await page.locator("#load-more").isDisabled(), true);
    assert.equal(requests.filter((r) => r.startsWith("call/feed")).length, 50);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("streams the countdown in, number by number", async () => {
    const { page, problems, requests } = await openPage(browser.context, `${server.url}/feed/?from=30`);
    // Seen while it streams: some numbers, not all of them yet.
    await page.waitForFunction(() => {
      const el = document.getElementById("countdown");
      const shown = el?.textContent?.split(" ").filter(Boolean).length ?? 0;
      return el?.dataset.status === "streaming" && shown > 0 && shown < 31;
    });
    await page.waitForSelector('#countdown[data-status="done"]');
    const numbers = Array.from({ length: 31 }, (_, i) => 30 - i).join(" ");
    assert.equal(await page.textContent("#countdown"), numbers);
    assert.deepEqual(
      requests.filter((r) => r.startsWith("call/countdown")),
      ['call/countdown?input={"from":30}'],
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("Stop aborts the countdown's request and keeps the numbers so far", async () => {
    const { page, problems, aborted } = await openPage(browser.context, `${server.url}/feed/?from=100`);
    await page.waitForFunction(() => (document.getElementById("countdown")?.textContent?.split(" ").length ?? 0) > 3);
    await page.click("#stop");
    await page.waitForSelector('#countdown[data-status="idle"]');
    const shown = await page.textContent("#countdown");
    await page.waitForTimeout(100);
    assert.equal(await page.textContent("#countdown"), shown, "no number after Stop");
    assert.ok(shown.startsWith("100 99 98 97"), shown);
    assert.ok(!shown.endsWith(" 0"), shown);
    assert.equal(aborted.length, 1, "the countdown's request was aborted");
    assert.deepEqual(problems, []);
    await page.close();
  });
});
