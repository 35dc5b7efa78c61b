// The published shape of @mizan/client and @mizan/ssr, as a user gets it:
// both packages are packed (`npm pack --ignore-scripts`, once built) and
// installed into a fresh project outside the workspace, whose other
// dependencies come from the npm registry at the versions of the root
// package-lock.json. hello's generated code and components are copied in,
// type-checked with the installed typescript under the strict flags and
// nodenext (installed/tsconfig.json), compiled, and run in Node against a
// real hello server.
//
// Run from the repository root (scripts/test does):
//
//     node --test packages/tests/
//
// Needs the npm registry (or npm's cache) and cargo; builds the packages
// (`npm run build`) and hello (`cargo build -p hello`) first.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const hello = join(root, "examples/hello/frontend");

/** The dependencies a user installs beside mizan's packages, at the lockfile's versions. */
const REGISTRY_DEPS = [
  "zod",
  "react",
  "react-dom",
  "@tanstack/react-query",
  "react-hook-form",
  "@hookform/resolvers",
  "typescript",
  "@types/react",
  "@types/react-dom",
];

function run(cmd, args, cwd, env = {}) {
  try {
    return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}${e.stderr ?? ""}`, { cause: e });
  }
}

function lockedVersion(name) {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in the root package-lock.json`);
  return version;
}

/** Starts hello on a free port; resolves with the child and its API base URL. */
function startHello(bin, dbDir) {
  return new Promise((resolveStart, rejectStart) => {
    const child = spawn(bin, ["serve"], {
      cwd: root,
      env: {
        ...process.env,
        MIZAN_ADDR: "127.0.0.1:0",
        DATABASE_URL: `sqlite://${join(dbDir, "accounts.sqlite3")}?mode=rwc`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => rejectStart(new Error(`hello did not start:\n${out}\n${err}`)), 60_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, baseUrl: `${m[1].replace(/\/$/, "")}/api/mizan` });
      }
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`hello exited with ${code}:\n${out}\n${err}`));
    });
  });
}

let temp;
let app;
let server;

before(async () => {
  temp = mkdtempSync(join(tmpdir(), "mizan-installed-"));
  assert.ok(relative(root, temp).startsWith(".."), `${temp} must be outside the workspace`);
  app = join(temp, "app");

  run("npm", ["run", "--silent", "build"], root);
  const tarballs = {};
  for (const pkg of ["client", "ssr"]) {
    const out = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", temp], join(root, "packages", pkg));
    const [{ name, filename }] = JSON.parse(out);
    tarballs[name] = `file:${join(temp, filename)}`;
  }
  const dependencies = { ...tarballs };
  for (const name of REGISTRY_DEPS) dependencies[name] = lockedVersion(name);

  cpSync(join(hello, "generated"), join(app, "generated"), { recursive: true });
  cpSync(join(hello, "components"), join(app, "components"), { recursive: true });
  cpSync(join(here, "installed/run.ts"), join(app, "run.ts"));
  cpSync(join(here, "installed/tsconfig.json"), join(app, "tsconfig.json"));
  const manifest = { name: "mizan-installed", private: true, type: "module", dependencies };
  writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], app);

  execFileSync("cargo", ["build", "-q", "-p", "hello"], { cwd: root, stdio: "inherit" });
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug", "hello");
  server = await startHello(bin, temp);
});

after(() => {
  server?.child.kill("SIGTERM");
  if (temp) rmSync(temp, { recursive: true, force: true });
});

test("the installed packages are the built ones: dist/ and package.json exports, no workspace links", () => {
  for (const pkg of ["client", "ssr"]) {
    const dir = join(app, "node_modules/@mizan", pkg);
    assert.ok(existsSync(join(dir, "dist")), `${dir}/dist`);
    const { exports } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const [key, entry] of Object.entries(exports)) {
      if (typeof entry === "string") continue;
      for (const condition of ["types", "default"]) {
        assert.ok(entry[condition]?.startsWith("./dist/"), `${pkg} ${key} ${condition}: ${JSON.stringify(entry)}`);
        assert.ok(existsSync(join(dir, entry[condition])), `${pkg} ${key} ${condition} → ${entry[condition]} is packed`);
      }
    }
    assert.ok(!readdirSync(join(dir, "dist")).some((f) => f.endsWith(".tsbuildinfo")), "no build info is packed");
  }
});

test("hello's generated code and components type-check under the strict flags with nodenext", () => {
  run(join(app, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], app);
  assert.ok(existsSync(join(app, "out/run.js")));
  assert.ok(existsSync(join(app, "out/generated/index.js")));
});

test("the generated client runs in Node against a real hello server", () => {
  const script = `const { run } = await import("./out/run.js"); console.log(JSON.stringify(await run(${JSON.stringify(server.baseUrl)})));`;
  const result = JSON.parse(run(process.execPath, ["--input-type=module", "-e", script], app));
  assert.deepEqual(result.echoed, { message: "hi from the packed client" });
  assert.equal(result.length, 5000);
  assert.equal(result.validation, "VALIDATION");
  assert.deepEqual(result.requests, [
    "POST /call/echo",
    "POST /call/text_length",
    "GET /call/greet?…",
  ]);
  assert.deepEqual(result.reactEntry, ["useEcho", "useGreet", "useContactForm", "GreetProvider"]);
});
