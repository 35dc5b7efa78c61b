// Browser test: the booking form at /booking/ (useBookingForm) in headless
// Chromium running in New York's time zone (TZ=America/New_York) against
// the real hello server. The inputs are the widgets the form's description
// chooses from each field's format (datetime-local, date, time); a blank
// required time is refused by the generated Zod (nothing sent); the call's
// start, typed as a local date-time, is sent with the browser's offset
// (−05:00 in winter, −04:00 in summer) and read by the server as that
// instant, in UTC; the local date-time, date and time (seconds included)
// reach the server as typed (a blank optional one as its default, null);
// a server-only rule that compares the reminder
// with the converted instant comes back on its field.
//
// Run from the repository root:
//
//     node --test examples/hello/tests/browser/
//
// Same setup as hydration.test.mjs (support.mjs).

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { helloBinary, launchBrowser, startServer } from "./support.mjs";

describe("the booking form at /booking/, in New York", () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer(helloBinary(), { MIZAN_ENV: "prod" });
    browser = await launchBrowser({ TZ: "America/New_York" });
  });

  after(async () => {
    await browser?.close();
    server?.child.kill("SIGTERM");
  });

  test("date and time widgets, the browser's offset on the instant, the values the server read", async () => {
    const page = await browser.context.newPage();
    const problems = [];
    const sent = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (msg) => {
      if (msg.location().url?.endsWith("/favicon.ico")) return;
      if (msg.type() === "error" || msg.type() === "warning") problems.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/api/mizan/call/booking.")) sent.push({ path, body: JSON.parse(r.postData() ?? "null") });
    });

    const response = await page.goto(`${server.url}/booking/`, { waitUntil: "load" });
    assert.equal(response.status(), 200);
    assert.ok((await response.text()).includes("<h1>Book a call</h1>"), "rendered on the server");
    await page.waitForSelector('#mizan-root[data-mizan-hydrated="true"]', { timeout: 15_000 });
    assert.equal(
      await page.evaluate(() => [new Date(2025, 2, 1).getTimezoneOffset(), new Date(2025, 6, 1).getTimezoneOffset()].join()),
      "300,240",
      "the browser runs in New York's time zone",
    );

    // The widgets come from the formats.
    const types = {};
    for (const name of ["starts_at", "day_off", "standup", "remind_at"]) {
      types[name] = await page.getAttribute(`#booking-${name}`, "type");
    }
    assert.deepEqual(types, {
      starts_at: "datetime-local",
      day_off: "date",
      standup: "time",
      remind_at: "datetime-local",
    });

    // 1. A required time left blank: the generated Zod refuses it, nothing is sent.
    await page.fill("#booking-starts_at", "2025-03-01T09:30");
    await page.fill("#booking-day_off", "2025-07-04");
    await page.click('button[type="submit"]');
    const standupError = page.locator('[data-error-for="standup"]');
    await standupError.waitFor({ timeout: 5_000 });
    assert.notEqual((await standupError.textContent()).trim(), "");
    assert.equal(await page.locator('[data-error-for="starts_at"]').count(), 0, "the local date-time got its offset");
    assert.deepEqual(sent, [], "nothing is sent while Zod refuses");

    // 2. A reminder after the call: the server's own rule, on the converted
    // instant (09:30 in New York is 14:30 UTC; the reminder is read as 15:00 UTC).
    await page.fill("#booking-standup", "09:30:15");
    await page.fill("#booking-remind_at", "2025-03-01T15:00");
    await page.click('button[type="submit"]');
    const remindError = page.locator('[data-error-for="remind_at"]');
    await remindError.waitFor({ timeout: 5_000 });
    assert.equal(await remindError.textContent(), "The reminder must come before the call.");
    assert.deepEqual(sent.map((s) => s.body), [
      {
        starts_at: "2025-03-01T09:30:00-05:00",
        day_off: "2025-07-04",
        standup: "09:30:15",
        remind_at: "2025-03-01T15:00",
      },
    ]);
    assert.equal(await page.inputValue("#booking-starts_at"), "2025-03-01T09:30", "the input keeps the local time");

    // 3. A valid booking: the server read the instant in UTC and the local values as typed.
    await page.fill("#booking-remind_at", "2025-03-01T09:00");
    await page.click('button[type="submit"]');
    await page.waitForSelector("#booking-sent", { timeout: 5_000 });
    const shown = async () => {
      const out = {};
      for (const name of ["starts_at", "day_off", "standup", "remind_at"]) {
        out[name] = await page.textContent(`#booking-sent [data-field="${name}"]`);
      }
      return out;
    };
    assert.deepEqual(await shown(), {
      starts_at: "2025-03-01T14:30:00Z",
      day_off: "2025-07-04",
      standup: "09:30:15",
      remind_at: "2025-03-01T09:00:00",
    });
    assert.equal(await page.locator("[data-error-for]").count(), 0);

    // 4. In summer New York is at −04:00; a reminder left blank is absent,
    // which the schema's default makes `null`.
    await page.fill("#booking-starts_at", "2025-07-01T09:30");
    await page.fill("#booking-remind_at", "");
    await page.click('button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelector('#booking-sent [data-field="starts_at"]')?.textContent === "2025-07-01T13:30:00Z",
      undefined,
      { timeout: 5_000 },
    );
    assert.equal(await page.textContent('#booking-sent [data-field="remind_at"]'), "no reminder");
    assert.deepEqual(sent.at(-1).body, {
      starts_at: "2025-07-01T09:30:00-04:00",
      day_off: "2025-07-04",
      standup: "09:30:15",
      remind_at: null,
    });
    assert.deepEqual(
      sent.map((s) => s.path),
      ["/api/mizan/call/booking.submit", "/api/mizan/call/booking.submit", "/api/mizan/call/booking.submit"],
    );

    // The server's refusal (422) is the only failed request, by design.
    assert.deepEqual(
      problems.filter((p) => !p.includes("422")),
      [],
    );
    await page.close();
  });
});
