/**
 * The in-process baseline: React's `renderToString` called directly inside
 * Bun, for the same component and props the bridge renders; and, in the
 * same run, the two costs any JSON bridge to a renderer must add on top of
 * it, measured in-process:
 *
 * - `bytes`: the rendered string made into UTF-8 bytes (`renderToString`
 *   returns a rope that JavaScriptCore only flattens when something reads
 *   it; a server in Bun pays this too when it sends the page);
 * - `parse`: `JSON.parse` of the props text (the worker receives JSON);
 *
 * and `idle`: parse, render and bytes together, as a worker does them, with
 * the thread idle for 300 µs before each (as a worker waits for its next
 * request), timing the work only: what a cold cache and a halted core add.
 *
 *   bun bench/ssr/baseline.ts COMPONENT.tsx PROPS_JSON_FILE
 *
 * It stays up and takes one number per stdin line, ITERATIONS: it runs the
 * three loops that many times each and prints one JSON line
 * {"render_us", "render_bytes_us", "parse_us", "idle_us", "html_bytes"} (µs per call),
 * so the bench can alternate its samples with the bridge's and take
 * per-round ratios. It exits when stdin closes. Run with
 * NODE_ENV=production, as the workers are.
 */

const [path, propsFile] = process.argv.slice(2);
if (!path || !propsFile) throw new Error("usage: baseline.ts COMPONENT PROPS_FILE");

const dir = path.replace(/\/[^/]*$/, "");
const React = await import(Bun.resolveSync("react", dir));
const Server = await import(Bun.resolveSync("react-dom/server", dir));
const Component = (await import(path)).default;
const propsText = await Bun.file(propsFile).text();
const props = JSON.parse(propsText);

const encoder = new TextEncoder();
let out = new Uint8Array(1 << 16);
let html = "";
let sink = 0;

const render = () => {
  html = Server.renderToString(React.createElement(Component, props));
};
const renderBytes = () => {
  const s: string = Server.renderToString(React.createElement(Component, props));
  if (out.length < s.length * 3) out = new Uint8Array(s.length * 3);
  sink += encoder.encodeInto(s, out).written;
};
const parse = () => {
  sink += JSON.parse(propsText) === null ? 1 : 0;
};

const wake = new Int32Array(new SharedArrayBuffer(4));
/** µs per parse + render + bytes, each after 300 µs idle, the idle untimed. */
function idlePerCall(n: number): number {
  let work = 0;
  for (let i = 0; i < n; i++) {
    Atomics.wait(wake, 0, 0, 0.3);
    const t0 = Bun.nanoseconds();
    const p = JSON.parse(propsText);
    const s: string = Server.renderToString(React.createElement(Component, p));
    if (out.length < s.length * 3) out = new Uint8Array(s.length * 3);
    sink += encoder.encodeInto(s, out).written;
    work += Bun.nanoseconds() - t0;
  }
  return work / n / 1000;
}

function perCall(f: () => void, n: number): number {
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < n; i++) f();
  return (Bun.nanoseconds() - t0) / n / 1000;
}

for await (const line of console) {
  const iterations = Number(line);
  if (!Number.isFinite(iterations) || iterations <= 0) continue;
  const sample = {
    render_us: perCall(render, iterations),
    render_bytes_us: perCall(renderBytes, iterations),
    parse_us: perCall(parse, iterations),
    idle_us: idlePerCall(iterations),
    html_bytes: encoder.encode(html).length,
    sink,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}
