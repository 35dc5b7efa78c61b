/**
 * The SSR worker alone, driven two ways: one render at a time (each request
 * waits for the previous answer, as the pool does) and pipelined (all
 * requests written at once). The gap is the cost of the worker's per-request
 * wake-ups, separate from rendering and from the protocol.
 *
 *   NODE_ENV=production node_modules/.bin/bun bench/ssr/worker-modes.ts [RENDERS=1500]
 */
import { join } from "node:path";

const root = join(import.meta.dir, "../..");
const worker = join(root, "packages/ssr/src/worker.ts");
const component = join(import.meta.dir, "components/List.tsx");
const renders = Number(process.argv[2] ?? 1500);
const warm = 300;
const items = Array.from({ length: 100 }, (_, i) => ({
  id: i,
  title: `Item number ${i} <with> "markup" & ünïcödé`,
  done: i % 3 === 0,
  tags: ["alpha", "beta"],
}));
const line = (id: number) =>
  JSON.stringify({ id, method: "render", params: { path: component, props: { title: "A list", items } } }) + "\n";

function start() {
  const proc = Bun.spawn([process.execPath, worker], {
    stdin: "pipe",
    stdout: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  const reader = proc.stdout.getReader();
  let buf = Buffer.alloc(0);
  /** Reads one answer: a header line, then `html_bytes` raw bytes and a newline if announced. */
  async function answer(): Promise<void> {
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl >= 0) {
        const head = JSON.parse(buf.subarray(0, nl).toString());
        const n: number | undefined = head.result?.html_bytes;
        const need = nl + 1 + (n === undefined ? 0 : n + 1);
        while (buf.length < need) {
          const { value, done } = await reader.read();
          if (done) throw new Error("worker exited");
          buf = Buffer.concat([buf, value]);
        }
        buf = buf.subarray(need);
        return;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("worker exited");
      buf = Buffer.concat([buf, value]);
    }
  }
  return { proc, answer };
}

async function oneAtATime(): Promise<number> {
  const { proc, answer } = start();
  for (let i = 0; i < warm; i++) {
    proc.stdin.write(line(i));
    proc.stdin.flush();
    await answer();
  }
  const t0 = performance.now();
  for (let i = 0; i < renders; i++) {
    proc.stdin.write(line(warm + i));
    proc.stdin.flush();
    await answer();
  }
  const us = ((performance.now() - t0) * 1000) / renders;
  proc.stdin.end();
  return us;
}

async function pipelined(): Promise<number> {
  const { proc, answer } = start();
  for (let i = 0; i < warm; i++) proc.stdin.write(line(i));
  proc.stdin.flush();
  for (let i = 0; i < warm; i++) await answer();
  const t0 = performance.now();
  for (let i = 0; i < renders; i++) proc.stdin.write(line(warm + i));
  proc.stdin.flush();
  for (let i = 0; i < renders; i++) await answer();
  const us = ((performance.now() - t0) * 1000) / renders;
  proc.stdin.end();
  return us;
}

const a = await oneAtATime();
const b = await pipelined();
console.log(`List (100 items), ${renders} renders: one at a time ${a.toFixed(1)} µs/render, pipelined ${b.toFixed(1)} µs/render`);
