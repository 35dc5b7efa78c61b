// Browser test: the contact form at /contact/ (useContactForm) in headless
// Chromium against the real hello server. The page renders on the server
// and hydrates; a bad email is refused by the Zod schema in the browser
// (no request is sent); a message about spam passes Zod and is refused by
// the server's own rule, shown on the message field; a valid message shows
// the server's receipt.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/
//
// Same setup as hydration.test.mjs (support.mjs): builds `hello` (or uses
// $HELLO_BIN) and drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM).

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

describe("the contact form at /contact/", () => {
  let server;
  let browser;
  let context;

  before(async () => {
    server = await startServer(helloBinary(), { MIZAN_ENV: "prod" });
    browser = await launchBrowser();
    context = browser.context;
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
  });

  test("Zod error in the browser, server field error on its field, then success", async () => {
    const page = await context.newPage();
    const problems = [];
    const submits = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (msg) => {
      if (msg.location().url?.endsWith("/favicon.ico")) return;
      if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/api/mizan/call/") || path === "/api/mizan/batch") submits.push(`${r.method()} ${path}`);
    });

    const response = await page.goto(`${server.url}/contact/`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    const html = await response.text();
    assert.ok(html.includes("<h1>Contact us</h1>"), "rendered on the server");
    assert.ok(html.includes('for="contact-message">Message</label>'), "labels from the form's description");
    await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });

    // 1. A bad email: the generated Zod schema refuses it in the browser.
    await page.fill("#contact-name", "Ada");
    await page.fill("#contact-email", "ada-at-example.com");
    await page.fill("#contact-message", "Hello there, mizan!");
    await page.click('button[type="submit"]');
    const emailError = page.locator('[data-error-for="email"]');
    await emailError.waitFor({ timeout: 5_000 });
    assert.notEqual((await emailError.textContent()).trim(), "");
    assert.equal(await page.getAttribute("#contact-email", "aria-invalid"), "true");
    assert.deepEqual(submits, [], "nothing is sent while Zod refuses");

    // 2. Valid for Zod, refused by the server's own rule: shown on `message`.
    await page.fill("#contact-email", "ada@example.com");
    await page.fill("#contact-message", "Would you like some spam?");
    await page.click('button[type="submit"]');
    const messageError = page.locator('[data-error-for="message"]');
    await messageError.waitFor({ timeout: 5_000 });
    assert.equal(await messageError.textContent(), "Messages about spam are not accepted.");
    assert.equal(await page.locator('[data-error-for="email"]').count(), 0);
    assert.deepEqual(submits, ["POST /api/mizan/call/contact.submit"]);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "contact-message", "focus on the field in error");

    // 3. A valid message: the server's receipt, and the form is reset.
    await page.fill("#contact-message", "Hello there, mizan!");
    await page.click('button[type="submit"]');
    await page.waitForSelector("#contact-sent", { timeout: 5_000 });
    assert.equal(await page.textContent("#contact-sent"), "Thanks, Ada! We will answer ada@example.com.");
    assert.equal(await page.locator("[data-error-for]").count(), 0);
    assert.equal(await page.inputValue("#contact-name"), "");
    assert.equal(submits.length, 2);

    // The server's error response (422) is the only failed request, by design.
    assert.deepEqual(
      problems.filter((p) => !p.includes("422")),
      [],
    );
    await page.close();
  });
});
