// Browser test: the attacks a browser makes possible, in headless Chromium.
//
// 1. Login CSRF: a page served from another port of 127.0.0.1 (another
//    origin, the same host) auto-posts a text/plain form, and then a
//    no-cors fetch, to hello's `accounts.login` with an attacker's valid
//    credentials. Both are refused and no `mizan_session` cookie is set; the
//    same credentials sent by hello's own page do log in (the control).
// 2. hello's pages are served under a strict nonce-based
//    Content-Security-Policy (no 'unsafe-inline'): /counter/ hydrates and
//    works with no violation reported, while an inline handler injected
//    into the page is blocked (the policy is really enforced).
//
// Run from the repository root: `node --test examples/hello/tests/browser/`.

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

const USERNAME = "mallory";
const PASSWORD = "mallory's password 1";

/** Serves `html` at `/` (and an empty page elsewhere) on 127.0.0.1, another port than hello's. */
function attackerSite(html) {
  return new Promise((resolveListen) => {
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(req.url === "/" ? html : "<!DOCTYPE html><title>blank</title>");
    });
    server.listen(0, "127.0.0.1", () => resolveListen({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

describe("hello under attack", () => {
  let server;
  let browser;
  let dir;

  before(async () => {
    const bin = helloBinary();
    dir = mkdtempSync(join(tmpdir(), "mizan-security-"));
    const env = { DATABASE_URL: `sqlite://${join(dir, "hello.sqlite3")}?mode=rwc`, MIZAN_ENV: "prod" };
    execFileSync(bin, ["createuser", USERNAME], { env: { ...process.env, ...env, MIZAN_PASSWORD: PASSWORD } });
    server = await startServer(bin, env);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sessionCookies = async () =>
    (await browser.context.cookies(server.url)).filter((c) => c.name === "mizan_session");

  test("login CSRF from another port of the same host is refused and sets no session", async () => {
    const login = `${server.url}/api/mizan/call/accounts.login`;
    // The text/plain form trick: the body reads as the JSON object
    // {"username":…,"password":…,"pad":"="}.
    const name = JSON.stringify({ username: USERNAME, password: PASSWORD, pad: "" }).slice(0, -2);
    const attacker = await attackerSite(`<!DOCTYPE html><html><body>
<form id="f" method="POST" action="${login}" enctype="text/plain">
<input type="hidden" name='${name.replaceAll("'", "&#39;")}' value='"}'>
</form>
<script>document.getElementById("f").submit();</script>
</body></html>`);
    try {
      const page = await browser.context.newPage();
      const answered = page.waitForResponse((r) => r.url() === login);
      await page.goto(attacker.url);
      const response = await answered;
      const request = response.request();
      assert.equal(request.method(), "POST");
      assert.equal(request.headers()["content-type"], "text/plain");
      assert.ok(request.postData().includes(`"username":"${USERNAME}"`), request.postData());
      assert.equal(response.status(), 415);
      assert.equal((await response.json()).error.code, "UNSUPPORTED_MEDIA_TYPE");
      assert.deepEqual(await sessionCookies(), [], "no session from a form post");

      // A script on the attacker's page: a no-cors fetch with the victim's cookies.
      const fetched = page.waitForResponse((r) => r.url() === login);
      await page.goto(`${attacker.url}/blank`);
      await page.evaluate(
        ([url, body]) =>
          fetch(url, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body }).catch(() => {}),
        [login, JSON.stringify({ username: USERNAME, password: PASSWORD })],
      ).catch(() => {});
      const second = await fetched;
      assert.ok([403, 415].includes(second.status()), `refused: ${second.status()}`);
      assert.deepEqual(await sessionCookies(), [], "no session from a cross-origin fetch");
      await page.close();

      // The control: the same credentials from hello's own page log in.
      const own = await browser.context.newPage();
      await own.goto(`${server.url}/hello/`);
      const status = await own.evaluate(
        async ([url, body]) =>
          (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).status,
        [login, JSON.stringify({ username: USERNAME, password: PASSWORD })],
      );
      assert.equal(status, 200);
      assert.equal((await sessionCookies()).length, 1, "the same-origin login sets the session");
      await own.close();
    } finally {
      attacker.server.close();
      await browser.context.clearCookies();
    }
  });

  test("/counter/ hydrates and works under a strict nonce-based CSP, with no violation", async () => {
    const page = await browser.context.newPage();
    const problems = [];
    page.on("console", (msg) => {
      if (msg.location().url?.endsWith("/favicon.ico")) return;
      if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${server.url}/counter/`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    const headers = response.headers();
    const csp = headers["content-security-policy"];
    const nonce = csp?.match(/'nonce-([0-9a-f]+)'/)?.[1];
    assert.ok(nonce, `a nonce in ${csp}`);
    assert.ok(!csp.includes("unsafe-inline"), csp);
    assert.equal(headers["x-content-type-options"], "nosniff");
    assert.equal(headers["x-frame-options"], "DENY");
    assert.equal(headers["referrer-policy"], "strict-origin-when-cross-origin");
    const html = await response.text();
    assert.equal(html.match(/<script\b/g).length, html.split(`nonce="${nonce}"`).length - 1, html);

    await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
    await page.click("#increment");
    await page.waitForFunction(() => document.querySelector("#count")?.textContent === "Clicks: 1");
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(problems, []);

    // The policy is enforced: an inline handler without the nonce never runs.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img src="data:," onload="window.__ran = true">'));
    await page.waitForFunction(() => window.__violations.length > 0);
    assert.equal(await page.evaluate(() => window.__ran), undefined);
    await page.close();
  });
});
