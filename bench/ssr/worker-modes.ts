/**
 * The SSR worker alone, driven by this script two ways: one render at a
 * time (each request waits for the previous answer) and pipelined (all
 * requests written at once, the answers read as they come). The gap is the
 * cost of a round trip per render, separate from rendering and from the
 * protocol. The pipelined driver is the bar for the bridge: the Rust host
 * driving the same worker with many renders in flight (bench/ssr/run.sh
 * measures the two in one run, their samples alternating, through
 * `--pipelined`).
 *
 *   NODE_ENV=production node_modules/.bin/bun bench/ssr/worker-modes.ts [RENDERS=1500]
 *   NODE_ENV=production node_modules/.bin/bun bench/ssr/worker-modes.ts --pipelined COMPONENT PROPS_FILE RENDERS
 *     (one pipelined sample of COMPONENT with the props in PROPS_FILE: prints {"renders_per_s": …})
 *
 * `MIZAN_BENCH_WORKER` runs another worker script.
 */
import { join } from "node:path";

const root = join(import.meta.dir, "../..");
const worker = process.env["MIZAN_BENCH_WORKER"] ?? join(root, "packages/ssr/src/worker.ts");
const warm = 300;

function listProps() {
  const items = Array.from({ length: 100 }, (_, i) => ({
    id: i,
    title: `Item number ${i} <with> "markup" & ünïcödé`,
    done: i % 3 === 0,
    tags: ["alpha", "beta"],
  }));
  return { title: "A list", items };
}

function start(component: string, props: unknown) {
  const params = JSON.stringify({ path: component, props });
  const line = (id: number) => `{"id":${id},"method":"render","params":${params}}\n`;
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
        if (head.error) throw new Error(`the worker failed a render: ${head.error.message}`);
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
  return { proc, answer, line };
}

/** µs per render, each request written once the previous answer is in. */
async function oneAtATime(component: string, props: unknown, renders: number): Promise<number> {
  const { proc, answer, line } = start(component, props);
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

/** µs per render, every request written at once. */
async function pipelined(component: string, props: unknown, renders: number): Promise<number> {
  const { proc, answer, line } = start(component, props);
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

if (process.argv[2] === "--pipelined") {
  const [component, propsFile, n] = process.argv.slice(3);
  if (!component || !propsFile) throw new Error("--pipelined COMPONENT PROPS_FILE RENDERS");
  const props = JSON.parse(await Bun.file(propsFile).text());
  const us = await pipelined(component, props, Number(n ?? 1500));
  console.log(JSON.stringify({ renders_per_s: 1e6 / us }));
} else {
  const renders = Number(process.argv[2] ?? 1500);
  const component = join(import.meta.dir, "components/List.tsx");
  const props = listProps();
  const a = await oneAtATime(component, props, renders);
  const b = await pipelined(component, props, renders);
  console.log(
    `List (100 items), ${renders} renders: one at a time ${a.toFixed(1)} µs/render, pipelined ${b.toFixed(1)} µs/render`,
  );
}
