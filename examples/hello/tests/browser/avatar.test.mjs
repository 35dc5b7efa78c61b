// Browser test: the avatar form at /avatar/ (useAvatarForm, a name and a
// picture) in headless Chromium against the real hello server. A generated
// PNG is chosen in the file input and submitted as a multipart upload call;
// the server's receipt shows its size. A file past the 2 MB limit is refused
// by the Zod schema on the input (nothing is sent), and bytes that are not
// the declared PNG come back as the server's field error on the input.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/avatar.test.mjs
//
// Same setup as hydration.test.mjs (support.mjs): builds `hello` (or uses
// $HELLO_BIN) and drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM).

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

/** CRC-32 (as PNG chunks use it) of `bytes`. */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A real `size`×`size` red PNG (8-bit RGB). */
function png(size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([255, 0, 0]))]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("the avatar form at /avatar/", () => {
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

  /** A hydrated /avatar/ page, recording calls and console problems. */
  async function open() {
    const page = await context.newPage();
    const problems = [];
    const calls = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (msg) => {
      if (msg.location().url?.endsWith("/favicon.ico")) return;
      if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/api/mizan/call/") || path === "/api/mizan/batch") calls.push({ what: `${r.method()} ${path}`, type: r.headers()["content-type"] ?? "" });
    });
    const response = await page.goto(`${server.url}/avatar/`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    const html = await response.text();
    assert.ok(html.includes("<h1>Your avatar</h1>"), "rendered on the server");
    assert.ok(html.includes('type="file"'), "the file widget is a file input");
    assert.ok(html.includes('accept="image/png,image/jpeg"'), "its types from the field's constraints");
    await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
    return { page, problems, calls };
  }

  test("a generated PNG is uploaded and the server answers", async () => {
    const { page, problems, calls } = await open();
    const picture = png(16);
    await page.fill("#avatar-name", "Ada");
    await page.setInputFiles("#avatar-picture", { name: "ada.png", mimeType: "image/png", buffer: picture });
    await page.click('button[type="submit"]');
    await page.waitForSelector("#avatar-sent", { timeout: 10_000 });
    assert.equal(await page.textContent("#avatar-sent"), "Thanks, Ada! ada.png is your avatar.");
    assert.equal(await page.getAttribute("#avatar-sent", "data-size"), String(picture.length));
    assert.equal(calls.length, 1, JSON.stringify(calls));
    assert.equal(calls[0].what, "POST /api/mizan/call/avatar.submit");
    assert.match(calls[0].type, /^multipart\/form-data; boundary=/);
    // The upload's progress reached the whole body.
    const progress = await page.evaluate(() => {
      const p = document.querySelector("#avatar-progress");
      return p ? [p.value, p.max] : null;
    });
    assert.ok(progress !== null && progress[0] > picture.length && progress[0] === progress[1], `progress ${progress}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a file past 2 MB is refused on its input, and bytes that are not a PNG by the server", async () => {
    const { page, problems, calls } = await open();
    await page.fill("#avatar-name", "Ada");
    const big = Buffer.concat([png(4), Buffer.alloc(2_000_001)]);
    await page.setInputFiles("#avatar-picture", { name: "big.png", mimeType: "image/png", buffer: big });
    await page.click('button[type="submit"]');
    const error = page.locator('[data-error-for="picture"]');
    await error.waitFor({ timeout: 5_000 });
    assert.match(await error.textContent(), /2000000/);
    assert.equal(await page.getAttribute("#avatar-picture", "aria-invalid"), "true");
    assert.deepEqual(calls, [], "nothing is sent while Zod refuses");

    // Declared a PNG, but its bytes are not one: the server's field error, on the input.
    await page.setInputFiles("#avatar-picture", { name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not a png") });
    await page.click('button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelector('[data-error-for="picture"]')?.textContent === "The file's bytes are not image/png.",
      null,
      { timeout: 5_000 },
    );
    assert.deepEqual(calls.map((c) => c.what), ["POST /api/mizan/call/avatar.submit"]);
    assert.equal(await page.locator("#avatar-sent").count(), 0);
    // The server's refusal (422) is the only failed request, by design.
    assert.deepEqual(
      problems.filter((p) => !p.includes("422")),
      [],
    );
    await page.close();
  });
});
