/**
 * Global setup of the integration tests: builds the `hello` example
 * (`cargo build -p hello`, a no-op when it is fresh), starts it on a free
 * port, provides its API base URL to the tests, and stops it with SIGTERM at
 * the end, failing the run unless it exits 0 promptly (graceful shutdown).
 */

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** `http://HOST:PORT/api/mizan` of the running `hello` server. */
    mizanBaseUrl: string;
    /** `http://HOST:PORT` of the running `hello` server. */
    helloOrigin: string;
  }
}

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** Builds `hello` and returns the path of its executable, as cargo reports it. */
function buildHello(): string {
  const r = spawnSync("cargo", ["build", "-q", "-p", "hello", "--message-format=json"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`could not run cargo: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`cargo build -p hello failed with exit code ${String(r.status)}`);
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line) as { reason?: string; target?: { name?: string; kind?: string[] }; executable?: string | null };
    if (msg.reason === "compiler-artifact" && msg.target?.name === "hello" && msg.target.kind?.includes("bin") && msg.executable) {
      return msg.executable;
    }
  }
  throw new Error("cargo build -p hello reported no `hello` executable");
}

/** Resolves with the URL of the first stdout line `listening on URL`. */
function waitListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdout = child.stdout;
    if (!stdout) return reject(new Error("hello has no stdout pipe"));
    const lines = createInterface({ input: stdout });
    const timer = setTimeout(() => {
      reject(new Error(`hello printed no "listening on" line within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`hello exited before listening (code ${String(code)}, signal ${String(signal)})`));
    };
    child.once("exit", onExit);
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.off("exit", onExit);
      const m = /^listening on (http:\/\/[^\s/]+)$/.exec(line.trim());
      if (m?.[1] === undefined) reject(new Error(`unexpected first line from hello: ${JSON.stringify(line)}`));
      else resolve(m[1]);
      // Keep draining stdout so the server never blocks on a full pipe.
      lines.on("line", () => {});
    });
  });
}

/** Sends SIGTERM and resolves with the exit code; rejects if the process outlives the timeout. */
function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hello did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM (killed)`));
    }, STOP_TIMEOUT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal !== null) reject(new Error(`hello died of ${signal} after SIGTERM instead of exiting`));
      else resolve(code);
    });
    child.kill("SIGTERM");
  });
}

/** The stored user `support.ts`'s `ACCOUNT` names, created with `hello createuser`. */
const ACCOUNT = { username: "vitest", password: "vitest account password" };

/** A fresh SQLite accounts database holding `ACCOUNT`; returns its directory and URL. */
function accountsDatabase(bin: string): { dir: string; url: string } {
  const dir = mkdtempSync(join(tmpdir(), "mizan-vitest-"));
  const url = `sqlite://${join(dir, "accounts.sqlite3")}?mode=rwc`;
  const r = spawnSync(bin, ["createuser", ACCOUNT.username], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, MIZAN_PASSWORD: ACCOUNT.password },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (r.status !== 0) throw new Error(`hello createuser failed with exit code ${String(r.status)}`);
  return { dir, url };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bin = buildHello();
  const db = accountsDatabase(bin);
  const child = spawn(bin, [], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, MIZAN_ADDR: "127.0.0.1:0", RUST_LOG: process.env["RUST_LOG"] ?? "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let origin: string;
  try {
    origin = await waitListening(child);
  } catch (e) {
    if (child.exitCode === null) child.kill("SIGKILL");
    throw e;
  }
  project.provide("helloOrigin", origin);
  project.provide("mizanBaseUrl", `${origin}/api/mizan`);

  return async () => {
    // Vitest only logs a teardown error ("error during close") and keeps its
    // exit code, so a failed shutdown also sets the exit code itself.
    try {
      const code = await stop(child);
      rmSync(db.dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`hello exited with code ${String(code)} after SIGTERM, expected 0`);
    } catch (e) {
      process.exitCode = 1;
      throw e;
    }
  };
}
