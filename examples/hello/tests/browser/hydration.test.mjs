// Browser test: the hello server's pages render on the server and hydrate in
// headless Chromium without warnings; the counter's button works; the
// contexts page shows the server-rendered current user from the first paint,
// with no loading flash and no request for it, and refetches it on demand.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/
//
// It builds the `hello` binary with cargo (or uses $HELLO_BIN), starts it on a
// free port once in production mode and once with MIZAN_ENV=dev, and drives
// Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) with playwright-core.
// Install Chromium with `apt-get install -y chromium`.

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

/**
 * Opens a page that records console warnings/errors and uncaught errors.
 * `setup(page)` runs before navigating (headers, init scripts).
 */
async function openPage(context, url, setup) {
  const page = await context.newPage();
  await setup?.(page);
  const problems = [];
  page.on("console", (msg) => {
    // The pages have no favicon; the browser's request for one is not ours.
    if (msg.location().url?.endsWith("/favicon.ico")) return;
    if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`requestfailed: ${r.url()}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  return { page, problems, response };
}

async function waitHydrated(page) {
  await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
}

for (const mode of ["prod", "dev"]) {
  describe(`hello pages (${mode})`, () => {
    let server;
    let browser;

    before(async () => {
      const bin = helloBinary();
      server = await startServer(bin, mode === "dev" ? { MIZAN_ENV: "dev" } : { MIZAN_ENV: "prod" });
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      server?.child.kill("SIGTERM");
    });

    test("/hello/ renders on the server and hydrates cleanly", async () => {
      const { page, problems, response } = await openPage(browser.context, `${server.url}/hello/`);
      assert.equal(response.status(), 200);
      const html = await response.text();
      assert.ok(html.includes('<div id="mizan-root"><div>Hello, World!</div></div>'), html);
      await waitHydrated(page);
      assert.equal(await page.textContent("#mizan-root"), "Hello, World!");
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("/hello/?name= is escaped in the page and hydrates to the same text", async () => {
      const name = "</script><!--<b>&amp;\u2028\u2029'\"";
      const url = `${server.url}/hello/?name=${encodeURIComponent(name)}`;
      const { page, problems, response } = await openPage(browser.context, url);
      assert.equal(response.status(), 200);
      const html = await response.text();
      const props = html.match(/<script type="application\/json" id="mizan-props"[^>]*>([^<]*)<\/script>/)[1];
      assert.ok(!/[<>&\u2028\u2029]/.test(props), props);
      assert.deepEqual(JSON.parse(props), { name });
      await waitHydrated(page);
      assert.equal(await page.textContent("#mizan-root"), `Hello, ${name}!`);
      assert.equal(await page.locator("#mizan-root b").count(), 0, "no markup injected");
      assert.deepEqual(problems, []);
      await page.close();
    });

    for (const [who, headers, shown] of [
      ["a signed-in user", { authorization: "Bearer hello-user-token" }, "Signed in as ada (user)"],
      ["an anonymous visitor", {}, "Signed out"],
    ]) {
      test(`/contexts/ for ${who}: the current user is in the first HTML and never flashes loading`, async () => {
        const requests = [];
        const { page, problems, response } = await openPage(browser.context, `${server.url}/contexts/?name=Ada`, async (p) => {
          await p.setExtraHTTPHeaders(headers);
          p.on("request", (r) => requests.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
          // Records every state #current-user goes through, from the first parse on.
          await p.addInitScript(() => {
            window.__userStates = [];
            const record = () => {
              // Skips the instant the parser has the element but not yet its text.
              const el = document.getElementById("current-user");
              if (!el || el.textContent === "") return;
              const state = `${el.dataset.state}:${el.textContent}`;
              if (window.__userStates.at(-1) !== state) window.__userStates.push(state);
            };
            new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
          });
        });
        assert.equal(response.status(), 200);
        const html = await response.text();
        assert.ok(html.includes(`<p id="current-user" data-state="ready">${shown}</p>`), html);
        const contexts = JSON.parse(html.match(/<script type="application\/json" id="mizan-contexts"[^>]*>([^<]*)<\/script>/)[1]);
        assert.deepEqual(
          contexts,
          { current_user: { data: headers.authorization ? { id: "ada", role: "user" } : null } },
        );
        await waitHydrated(page);
        await page.waitForFunction(() => document.querySelector("#greeting")?.textContent === "Hello, Ada!");
        assert.equal(await page.textContent("#current-user"), shown);
        const states = await page.evaluate(() => window.__userStates);
        assert.deepEqual(states, [`ready:${shown}`], "the current user never showed another state");
        assert.ok(html.includes(`<p id="greeting" data-state="ready">Hello, Ada!</p>`), html);
        assert.ok(html.includes(`id="mizan-queries"`), html);
        assert.ok(!requests.some((r) => r.includes("greet")), `no request for the server-read greeting:\n${requests.join("\n")}`);
        assert.ok(!requests.some((r) => r.includes("current_user")), `no request for the hydrated context:\n${requests.join("\n")}`);

        // Refresh refetches it through the client function; the value stays.
        await page.click("#refresh-user");
        await page.waitForFunction(() => !document.querySelector("#refresh-user")?.disabled);
        await page.waitForFunction(() => document.querySelector("#current-user")?.dataset.state === "ready");
        assert.ok(requests.some((r) => r.includes("current_user")), requests.join("\n"));
        assert.equal(await page.textContent("#current-user"), shown);
        assert.deepEqual(problems, []);
        await page.close();
      });
    }

    test("/counter/ hydrates and its button changes the page", async () => {
      const { page, problems, response } = await openPage(browser.context, `${server.url}/counter/`);
      assert.equal(response.status(), 200);
      assert.equal(await page.textContent("#count"), "Clicks: 0");
      await waitHydrated(page);
      await page.click("#increment");
      await page.waitForFunction(() => document.querySelector("#count")?.textContent === "Clicks: 1");
      await page.click("#increment");
      await page.waitForFunction(() => document.querySelector("#count")?.textContent === "Clicks: 2");
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
}
