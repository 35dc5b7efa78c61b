// What the browser tests share: the `hello` binary (built with cargo, or
// $HELLO_BIN), the server started on a free port, and Debian's Chromium
// (/usr/bin/chromium, or $CHROMIUM) driven by playwright-core.

import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../../../..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** The `hello` binary: $HELLO_BIN, or built with `cargo build -p hello`. */
export function helloBinary() {
  if (process.env.HELLO_BIN) return process.env.HELLO_BIN;
  execFileSync("cargo", ["build", "-p", "hello", "--quiet"], { cwd: root, stdio: "inherit" });
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
  return join(targetDir, "debug", "hello");
}

/** Starts the server; resolves with its base URL once it prints `listening on`. */
export function startServer(bin, env) {
  return new Promise((resolveStart, rejectStart) => {
    const child = spawn(bin, ["serve"], {
      cwd: root,
      env: { ...process.env, MIZAN_ADDR: "127.0.0.1:0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => rejectStart(new Error(`server did not start:\n${out}\n${err}`)), 60_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1].replace(/\/$/, ""), logs: () => err });
      }
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`server exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/**
 * Headless Chromium with a fresh profile; `env` is added to its
 * environment (`{ TZ: "America/New_York" }` for a time zone).
 */
export async function launchBrowser(env = {}) {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), "mizan-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, ...env },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
