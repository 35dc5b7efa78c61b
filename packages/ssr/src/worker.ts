/**
 * The mizan SSR worker: a persistent Bun process that renders React
 * components for the Rust host.
 *
 * Protocol (newline-delimited JSON, see docs/protocol.md, "SSR bridge"):
 *
 *   host → worker  {"id":n,"method":"render","params":{"path":abs,"props":{…},"contexts"?:{…}}}
 *                  {"id":n,"method":"ping"}
 *   worker → host  {"id":n,"result":{"html":…}}
 *                  {"id":n,"result":{"html_bytes":N}}\n<N bytes of UTF-8>\n   (large pages)
 *                  {"id":n,"error":{"message":…,"stack":…}}
 *                  {"id":n,"result":"pong"}
 *
 * stdout carries the protocol only: every console method is redirected to
 * stderr as `[level] id=N message` lines (cut at 8 KiB), which the host
 * forwards to tracing. Answers are written to stdout synchronously, one
 * write per answer, so they go out at once and a slow reader holds the
 * worker back rather than growing a queue. Requests are handled strictly
 * one at a time, in order. The worker exits when its stdin closes.
 *
 * `react` and `react-dom/server` are resolved from the component's own
 * directory, so the component and the renderer always share one React.
 *
 * `contexts` (optional) is the page's `#mizan-contexts` object: the global
 * contexts the host ran for the request. While a component renders it is on
 * `globalThis[Symbol.for("mizan.contexts")]`, where `@mizan/client/react`'s
 * context hooks read it (the browser reads the page's script instead), so
 * the server HTML and the first browser render agree.
 */

import { SSR_CONTEXTS_KEY } from "@mizan/client/page";
import { writeSync } from "node:fs";
import { dirname } from "node:path";

type RenderParams = { path: string; props?: Record<string, unknown>; contexts?: Record<string, unknown> };

type Request = { id: number; method: string; params?: RenderParams };

/** Results at least this large (in UTF-8 bytes) use the `html_bytes` framing. */
// Measured (bench/ssr): escaping a 15 KB page into JSON and back costs more
// than the raw framing; past 1 KiB the raw bytes win.
const INLINE_MAX = Number(process.env["MIZAN_SSR_INLINE_MAX"] ?? 1024);

/** Longest console message forwarded whole (the host cuts any stderr line at twice this). */
const LOG_MAX = 8 * 1024;

let currentId: number | null = null;

// ---- console → stderr -------------------------------------------------------

function format(args: unknown[]): string {
  const text = args.map((a) => (typeof a === "string" ? a : Bun.inspect(a, { colors: false }))).join(" ");
  // One message is one line for the host; a long one is cut.
  const line = text.replace(/\r?\n/g, "\\n");
  return line.length > LOG_MAX ? `${line.slice(0, LOG_MAX)}… (${line.length - LOG_MAX} more characters cut)` : line;
}

function logTo(level: string) {
  return (...args: unknown[]): void => {
    const tag = currentId === null ? "" : `id=${currentId} `;
    process.stderr.write(`[${level}] ${tag}${format(args)}\n`);
  };
}

console.log = logTo("info");
console.info = logTo("info");
console.debug = logTo("debug");
console.trace = logTo("debug");
console.warn = logTo("warn");
console.error = logTo("error");

process.on("uncaughtException", (err: unknown) => {
  logTo("error")("uncaught exception in SSR worker; exiting:", err);
  process.exit(70);
});
process.on("unhandledRejection", (err: unknown) => {
  logTo("error")("unhandled rejection in SSR worker; exiting:", err);
  process.exit(70);
});

// ---- rendering --------------------------------------------------------------

type Renderer = {
  createElement: (type: unknown, props: unknown) => unknown;
  renderToString: (element: unknown) => string;
};

type Loaded = { renderer: Renderer; component: unknown };

/** Per directory: the React the components there import. */
const renderers = new Map<string, Promise<Renderer>>();
/** Per absolute path: the imported component and its renderer. */
const loaded = new Map<string, Loaded>();

/** The React of the component's directory (cached per directory). */
function rendererFor(dir: string): Promise<Renderer> {
  let r = renderers.get(dir);
  if (!r) {
    r = (async () => {
      const react = await import(Bun.resolveSync("react", dir));
      const server = await import(Bun.resolveSync("react-dom/server", dir));
      const createElement = react.createElement ?? react.default?.createElement;
      const renderToString = server.renderToString ?? server.default?.renderToString;
      if (typeof createElement !== "function" || typeof renderToString !== "function") {
        throw new Error(`could not load react / react-dom/server from ${dir}`);
      }
      return { createElement, renderToString };
    })();
    renderers.set(dir, r);
    r.catch(() => renderers.delete(dir));
  }
  return r;
}

function componentOf(mod: Record<string, unknown>, path: string): unknown {
  const component = mod["default"];
  if (typeof component === "function" || (component && typeof component === "object")) return component;
  const base = path.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  if (typeof mod[base] === "function") return mod[base];
  throw new Error(`${path} has no default export (nor an export named ${base}) to render`);
}

/** Imports a component once; later renders reuse it (the pool restarts workers to pick up changes). */
async function load(path: string): Promise<Loaded> {
  const renderer = await rendererFor(dirname(path));
  const mod = await import(path);
  const entry = { renderer, component: componentOf(mod, path) };
  loaded.set(path, entry);
  return entry;
}

function checkParams(params: RenderParams | undefined): asserts params is RenderParams {
  if (!params || typeof params.path !== "string" || !params.path.startsWith("/")) {
    throw new Error("render needs params.path, an absolute path");
  }
}

function renderWith({ renderer, component }: Loaded, params: RenderParams): string {
  // renderToString is synchronous and requests run one at a time: the
  // contexts belong to this render only.
  const g = globalThis as Record<symbol, unknown>;
  g[SSR_CONTEXTS_KEY] = params.contexts ?? {};
  try {
    return renderer.renderToString(renderer.createElement(component, params.props ?? {}));
  } finally {
    // Not `delete`: deleting a property of the global object slows every
    // later global lookup (measured: Hello 52 → 68 µs through the bridge).
    g[SSR_CONTEXTS_KEY] = undefined;
  }
}

// ---- protocol ---------------------------------------------------------------

/** The answer being written, as UTF-8 (grown as needed, reused). */
let out = new Uint8Array(64 * 1024);
const encoder = new TextEncoder();

/** Writes `n` bytes of `bytes` to stdout, blocking until they are all out. */
function writeOut(bytes: Uint8Array, n: number): void {
  let off = 0;
  while (off < n) {
    try {
      off += writeSync(1, bytes, off, n - off);
    } catch (err) {
      // stdout is a blocking pipe unless something made it non-blocking.
      if ((err as { code?: string }).code !== "EAGAIN") throw err;
      Bun.sleepSync(1);
    }
  }
}

/** Writes one answer: `head` and a newline, then `body` and a newline if given. */
function emit(head: string, body?: string): void {
  // A UTF-16 length L is at most 3L bytes of UTF-8.
  const need = (head.length + (body?.length ?? 0)) * 3 + 2;
  if (out.length < need) out = new Uint8Array(Math.max(need, out.length * 2));
  let n = encoder.encodeInto(head, out).written;
  out[n++] = 10;
  if (body !== undefined) {
    n += encoder.encodeInto(body, out.subarray(n)).written;
    out[n++] = 10;
  }
  writeOut(out, n);
  // Do not keep a huge page's buffer for the small ones after it.
  if (out.length > 4 * 1024 * 1024) out = new Uint8Array(64 * 1024);
}

function send(line: string): void {
  emit(line);
}

function sendHtml(id: number, html: string): void {
  // A UTF-16 length L is at most 3L bytes of UTF-8: short pages skip the count.
  const bytes = html.length * 3 < INLINE_MAX ? 0 : Buffer.byteLength(html, "utf8");
  if (bytes >= INLINE_MAX) {
    // One write: header line, the raw bytes, a newline.
    emit(JSON.stringify({ id, result: { html_bytes: bytes } }), html);
  } else {
    send(JSON.stringify({ id, result: { html } }));
  }
}

type Position = { file?: string; line?: number; column?: number; lineText?: string };

/** Bun's BuildMessage / ResolveMessage (a syntax error, a missing import) carry a position, not a stack. */
function positionOf(err: unknown): Position | undefined {
  const e = err as { position?: Position; errors?: unknown[] } | null;
  if (e?.position?.file) return e.position;
  const first = e?.errors?.[0] as { position?: Position } | undefined;
  return first?.position?.file ? first.position : undefined;
}

function errorOf(err: unknown): { message: string; stack: string } {
  const pos = positionOf(err);
  if (pos) {
    const e = err as { name?: string; message?: string };
    const line = pos.lineText ? ` (${pos.lineText.trim()})` : "";
    const message = `${e.message || String(err)}${line}`;
    return { message, stack: `${e.name ?? "Error"}: ${message}\n    at ${pos.file}:${pos.line ?? 0}:${pos.column ?? 0}` };
  }
  if (err instanceof Error) {
    return { message: err.message || err.name, stack: err.stack ?? "" };
  }
  return { message: String(err), stack: "" };
}

async function handle(line: string): Promise<void> {
  let req: Request;
  try {
    req = JSON.parse(line);
  } catch {
    logTo("error")("unparsable request line ignored:", line.slice(0, 200));
    return;
  }
  const id = typeof req.id === "number" ? req.id : 0;
  currentId = id;
  try {
    if (req.method === "ping") {
      send(JSON.stringify({ id, result: "pong" }));
    } else if (req.method === "render") {
      checkParams(req.params);
      // Cached components render without awaiting anything.
      const entry = loaded.get(req.params.path) ?? (await load(req.params.path));
      sendHtml(id, renderWith(entry, req.params));
    } else {
      send(JSON.stringify({ id, error: { message: `unknown method ${JSON.stringify(req.method)}`, stack: "" } }));
    }
  } catch (err) {
    send(JSON.stringify({ id, error: errorOf(err) }));
  } finally {
    currentId = null;
  }
}

// ---- the request loop ---------------------------------------------------

const decoder = new TextDecoder();
/** Bytes of a request line not yet ended by its newline. */
let pending: Uint8Array = new Uint8Array(0);

/** Handles every complete line in `pending` + `chunk`, keeping the rest. */
async function take(chunk: Uint8Array): Promise<void> {
  // Only the new bytes can hold the next newline.
  let scan = pending.length;
  let data = chunk;
  if (pending.length > 0) {
    data = new Uint8Array(pending.length + chunk.length);
    data.set(pending);
    data.set(chunk, pending.length);
  } else {
    scan = 0;
  }
  let start = 0;
  let nl: number;
  while ((nl = data.indexOf(10, scan)) >= 0) {
    const line = decoder.decode(data.subarray(start, nl));
    start = scan = nl + 1;
    if (line.trim() !== "") await handle(line);
  }
  pending = start === data.length ? new Uint8Array(0) : data.slice(start);
}

const reader = Bun.stdin.stream().getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  await take(value);
}
process.exit(0);
