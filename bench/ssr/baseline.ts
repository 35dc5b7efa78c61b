/**
 * The in-process baseline: React's `renderToString` called directly inside
 * Bun, for the same component and props the bridge renders.
 *
 *   bun bench/ssr/baseline.ts COMPONENT.tsx PROPS_JSON_FILE ITERATIONS REPEATS
 *
 * Prints one JSON line: {"per_render_us": [median of each repeat…], "html_bytes": N}.
 * Run with NODE_ENV=production, as the workers are.
 */
import { dirname } from "node:path";

const [path, propsFile, iterArg, repeatArg] = process.argv.slice(2);
if (!path || !propsFile) throw new Error("usage: baseline.ts COMPONENT PROPS_FILE ITERATIONS REPEATS");
const iterations = Number(iterArg ?? 1000);
const repeats = Number(repeatArg ?? 7);

const dir = dirname(path);
const React = await import(Bun.resolveSync("react", dir));
const Server = await import(Bun.resolveSync("react-dom/server", dir));
const Component = (await import(path)).default;
const props = JSON.parse(await Bun.file(propsFile).text());

let html = "";
// Warm up (JIT, module caches).
for (let i = 0; i < Math.min(iterations, 200); i++) html = Server.renderToString(React.createElement(Component, props));

const perRender: number[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = Bun.nanoseconds();
  for (let i = 0; i < iterations; i++) html = Server.renderToString(React.createElement(Component, props));
  perRender.push((Bun.nanoseconds() - t0) / iterations / 1000);
}
console.log(JSON.stringify({ per_render_us: perRender, html_bytes: new TextEncoder().encode(html).length }));
