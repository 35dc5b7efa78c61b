// 10,000 doubles (and 10,000 singles) from a fixed seed through broad's
// GENERATED TypeScript client, in Node, against the real broad server:
// random bit patterns of finite doubles, subnormals, ±0, the largest and
// smallest magnitudes, integers past 2^53. Every value must come back
// bit-identical (Object.is), and the bits the server read (`doubles`
// answers them beside the values) must be the bits sent. The two
// exceptions are asserted exactly (docs/types.md, "Known differences"):
// `JSON.stringify(-0)` is `0`, so a -0 argument arrives as +0; an `f32`
// comes back as the shortest decimal that reads as the same `f32`
// (`Math.fround` of the answer is the value sent).
//
// Run from the repository root (scripts/test does):
//
//     node --test examples/broad/tests/node/
//
// Builds @mizan/client (`npm run build`) and broad (`cargo build -p broad`),
// and compiles broad's generated client.ts with the workspace's typescript.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../../..");
const generated = join(root, "examples/broad/frontend/generated");
// Under the workspace's node_modules, so `@mizan/client` resolves to the built package.
const out = join(root, "node_modules/.cache/mizan-broad-doubles");

/** Values per run. */
const COUNT = 10_000;
/** The fixed seed (SplitMix64). */
const SEED = 0x6d697a616en;

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`, { cause: e });
  }
}

/** SplitMix64: 64 random bits per call, as a BigInt. */
function splitmix(seed) {
  let state = BigInt.asUintN(64, seed);
  return () => {
    state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
    let z = state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

const view = new DataView(new ArrayBuffer(8));
const bits64 = (x) => (view.setFloat64(0, x), view.getBigUint64(0).toString(16).padStart(16, "0"));
const fromBits64 = (b) => (view.setBigUint64(0, b), view.getFloat64(0));
const bits32 = (x) => (view.setFloat32(0, x), view.getUint32(0).toString(16).padStart(8, "0"));
const fromBits32 = (b) => (view.setUint32(0, b), view.getFloat32(0));

/** `n` finite doubles: a fixed set of edges, then random kinds. */
function doubles(n, next) {
  const edges = [
    0, -0, 1, -1, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE,
    2.2250738585072014e-308, 2.225073858507201e-308, Number.EPSILON, 0.1, 1 / 3, 2 ** 53, 2 ** 53 + 2,
    -(2 ** 53) - 2, 2 ** 64, 2 ** 1023, 1e21, 1e-7, 123456789012345680000, 5e-324 * 3, 9007199254740993,
  ];
  const values = edges.slice(0, n);
  while (values.length < n) {
    const r = next();
    const kind = Number(r & 7n);
    const rest = r >> 3n;
    let x;
    if (kind <= 3) {
      x = fromBits64(r); // any bit pattern
    } else if (kind === 4) {
      x = fromBits64((rest & 0xfffffffffffffn) | ((r & 8n) << 60n)); // subnormal, either sign
    } else if (kind === 5) {
      x = Number(rest & ((1n << 61n) - 1n)) * (r & 8n ? -1 : 1) + 2 ** 53; // an integer past 2^53
      x = Math.round(x);
    } else if (kind === 6) {
      x = Number(BigInt.asIntN(32, rest)); // a small integer
    } else {
      x = Number(rest % 1_000_000n) / 1000; // a short decimal
    }
    if (Number.isFinite(x)) values.push(x);
  }
  return values;
}

/** `n` finite `f32` values (exactly representable), edges then random bit patterns. */
function singles(n, next) {
  const edges = [0, -0, 1, 3.4028234663852886e38, -3.4028234663852886e38, fromBits32(1), fromBits32(0x007fffff), fromBits32(0x00800000), Math.fround(0.1), 16777217];
  const values = edges.slice(0, n).map(Math.fround);
  while (values.length < n) {
    const x = fromBits32(Number(next() & 0xffffffffn));
    if (Number.isFinite(x)) values.push(x);
  }
  return values;
}

let server;
let client;

function startBroad(bin) {
  return new Promise((resolveStart, rejectStart) => {
    const child = spawn(bin, ["serve"], {
      cwd: root,
      env: { ...process.env, MIZAN_ADDR: "127.0.0.1:0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => rejectStart(new Error(`broad did not start:\n${stdout}\n${stderr}`)), 60_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, baseUrl: `${m[1].replace(/\/$/, "")}/api/mizan` });
      }
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`broad exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

before(async () => {
  run("npm", ["run", "--silent", "build"], root);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  const tsconfig = {
    compilerOptions: {
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      strict: true,
      skipLibCheck: true,
      types: [],
      rootDir: generated,
      outDir: out,
    },
    files: [join(generated, "client.ts")],
  };
  writeFileSync(join(out, "tsconfig.json"), JSON.stringify(tsconfig));
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(out, "tsconfig.json")], root);

  execFileSync("cargo", ["build", "-q", "-p", "broad"], { cwd: root, stdio: "inherit" });
  const bin = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug", "broad");
  server = await startBroad(bin);

  const { configure } = await import("@mizan/client");
  configure({ baseUrl: server.baseUrl });
  client = await import(pathToFileURL(join(out, "client.js")).href);
});

after(() => {
  server?.child.kill("SIGTERM");
  rmSync(out, { recursive: true, force: true });
});

/** Checks one echo of `sent` against the answer; returns the indexes of -0. */
function checkDoubles(sent, answer, offset = 0) {
  assert.equal(answer.values.length, sent.length);
  assert.equal(answer.bits.length, sent.length);
  const negativeZeros = [];
  for (let i = 0; i < sent.length; i++) {
    const x = sent[i];
    if (Object.is(x, -0)) {
      // JSON.stringify(-0) is "0": the server reads +0 and answers it.
      assert.equal(answer.bits[i], "0000000000000000", `value ${offset + i}: -0 arrives as +0`);
      assert.ok(Object.is(answer.values[i], 0), `value ${offset + i}: +0 comes back`);
      negativeZeros.push(offset + i);
      continue;
    }
    assert.equal(answer.bits[i], bits64(x), `value ${offset + i} (${x}): the bits the server read`);
    assert.ok(Object.is(answer.values[i], x), `value ${offset + i}: sent ${x}, got ${answer.values[i]}`);
  }
  return negativeZeros;
}

test("10,000 seeded doubles in one call come back bit-identical; the server reads the bits sent", async () => {
  const sent = doubles(COUNT, splitmix(SEED));
  const kinds = {
    subnormal: sent.filter((x) => x !== 0 && Math.abs(x) < 2.2250738585072014e-308).length,
    pastSafe: sent.filter((x) => Number.isInteger(x) && Math.abs(x) > Number.MAX_SAFE_INTEGER).length,
    negative: sent.filter((x) => x < 0).length,
  };
  assert.ok(kinds.subnormal > 500 && kinds.pastSafe > 1000 && kinds.negative > 3000, JSON.stringify(kinds));
  assert.equal(new Set(sent.map(bits64)).size > COUNT * 0.9, true, "mostly distinct bit patterns");

  const answer = await client.doubles({ values: sent });
  assert.deepEqual(checkDoubles(sent, answer), [1], "the one -0 (index 1)");
});

test("the same doubles as 100 calls of 100, batched, come back bit-identical", async () => {
  const sent = doubles(COUNT, splitmix(SEED + 1n));
  const chunks = Array.from({ length: 100 }, (_, i) => sent.slice(i * 100, i * 100 + 100));
  const answers = await Promise.all(chunks.map((values) => client.doubles({ values })));
  answers.forEach((answer, i) => checkDoubles(chunks[i], answer, i * 100));
});

test("10,000 seeded singles: the server reads each f32 exactly; the answer is the shortest f32 spelling", async () => {
  const sent = singles(COUNT, splitmix(SEED + 2n));
  const answer = await client.singles({ values: sent });
  let shorter = 0;
  for (let i = 0; i < sent.length; i++) {
    const x = sent[i];
    const expected = Object.is(x, -0) ? "00000000" : bits32(x);
    assert.equal(answer.bits[i], expected, `single ${i} (${x}): the bits the server read`);
    const back = answer.values[i];
    assert.ok(Object.is(Math.fround(back), Object.is(x, -0) ? 0 : x), `single ${i}: sent ${x}, got ${back}`);
    if (!Object.is(back, x)) shorter += 1;
  }
  // Most f32 values are not their shortest decimal as an f64: the answer differs before Math.fround.
  assert.ok(shorter > COUNT / 2, `${shorter} answers differ from the f64 sent`);
});

test("a non-finite double is refused: JSON.stringify writes null", async () => {
  await assert.rejects(client.doubles({ values: [1, Number.NaN] }), (e) => {
    assert.equal(e.code, "VALIDATION");
    assert.deepEqual(e.issues.map((i) => [i.path.join("."), i.code]), [["values.1", "invalid_type"]]);
    return true;
  });
});
