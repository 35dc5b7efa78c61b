/**
 * The mizan SSR worker: a persistent Bun process that renders React
 * components for the Rust host.
 *
 * Protocol (newline-delimited JSON, see docs/protocol.md, "SSR bridge"):
 *
 *   host → worker  {"id":n,"method":"render","params":{"path":abs,"layouts"?:[abs…],"props":{…},"contexts"?:{…},"nonce"?:…}}
 *                  {"id":n,"method":"ping"}
 *                  {"id":n,"method":"cancel"}                        (give up on render n)
 *                  {"id":"cK","result":ENVELOPE}                      (the answer to a call)
 *   worker → host  {"id":n,"result":{"html":…,"head"?:…,"queries"?:…}}
 *                  {"id":n,"result":{"html_bytes":N,…}}\n<N bytes of UTF-8>\n   (large pages)
 *                  {"id":n,"chunk":…} or {"id":n,"chunk_bytes":N}\n<N bytes>\n   (part of a page, ahead of its result)
 *                  {"id":n,"error":{"message":…,"stack":…}}
 *                  {"id":n,"result":"pong"}
 *                  {"id":"cK","method":"call","params":{"render":n,"fn":…,"args":{…}}}
 *
 * Many requests are in flight at once: each line is handled as soon as it
 * is read, a render starts without waiting for the ones before it, and
 * answers go out in the order they are ready (the host matches them by id).
 * Answers ready together leave in one write; before a render runs, the
 * answers already made are written, so a render that never returns (a busy
 * loop) or ends the process cannot take them down with it.
 *
 * stdout carries the protocol only: every console method is redirected to
 * stderr as `[level] id=N message` lines (cut at 8 KiB), which the host
 * forwards to tracing. The worker exits when its stdin closes.
 *
 * Nothing that belongs to one render lives on a global. The render's id
 * (for the console's `id=N`) is in an AsyncLocalStorage scope that follows
 * the render through its awaits; its contexts and its way back to the host
 * (`call`, `chunk`, `setResult`) reach the components through React context:
 * the page is wrapped in `MizanRoot` from `@mizan/client/react/root`, which,
 * like `react` and `react-dom/server`, is resolved from the component's own
 * directory, so the component, its hooks and the renderer share one React.
 *
 * A page renders with `renderToString`; one that suspends (it waits for
 * data, a lazy import) renders again with `renderToReadableStream`: whole
 * when nothing is pending once its shell is ready, else streamed (the shell
 * as the first chunk, each boundary as a chunk when its data arrives).
 * Each render has its own QueryClient (`@mizan/client/react/page-queries`),
 * whose queries the hooks run through `call`; what it read goes back as the
 * result's `queries` (the page's `#mizan-queries`).
 */

import { AsyncLocalStorage } from "node:async_hooks";
import { writeSync } from "node:fs";
import { dirname } from "node:path";

type RenderParams = {
  path: string;
  /** The layouts around the page, absolute paths, outermost first: each gets the part inside it as `children`. */
  layouts?: string[];
  props?: Record<string, unknown>;
  contexts?: Record<string, unknown>;
  /** The page's CSP nonce, for React's inline scripts of a streamed page. */
  nonce?: string;
};

type Request = { id?: unknown; method?: unknown; params?: unknown; result?: unknown };

/** Results at least this large (in UTF-8 bytes) use the raw `html_bytes` / `chunk_bytes` framing. */
// Measured (bench/ssr): escaping a 15 KB page into JSON and back costs more
// than the raw framing; past 1 KiB the raw bytes win.
const INLINE_MAX = Number(process.env["MIZAN_SSR_INLINE_MAX"] ?? 1024);

/** Longest console message forwarded whole (the host cuts any stderr line at twice this). */
const LOG_MAX = 8 * 1024;

/** The id of the render the running code belongs to, for the console's `id=N`. */
const renderIds = new AsyncLocalStorage<number>();

// ---- console → stderr -------------------------------------------------------

function format(args: unknown[]): string {
  const text = args.map((a) => (typeof a === "string" ? a : Bun.inspect(a, { colors: false }))).join(" ");
  // One message is one line for the host; a long one is cut.
  const line = text.replace(/\r?\n/g, "\\n");
  return line.length > LOG_MAX ? `${line.slice(0, LOG_MAX)}… (${line.length - LOG_MAX} more characters cut)` : line;
}

function logTo(level: string) {
  return (...args: unknown[]): void => {
    const id = renderIds.getStore();
    const tag = id === undefined ? "" : `id=${id} `;
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

// ---- output: answers batched into one write ---------------------------------

/** Answers not written yet, as UTF-8 (grown as needed, reused). */
let out = new Uint8Array(64 * 1024);
let outLen = 0;
let flushQueued = false;
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

/** Writes every answer made so far, in one write. */
function flush(): void {
  flushQueued = false;
  if (outLen === 0) return;
  const n = outLen;
  outLen = 0;
  writeOut(out, n);
  // Do not keep a huge page's buffer for the small ones after it.
  if (out.length > 4 * 1024 * 1024) out = new Uint8Array(64 * 1024);
}

/** Queues one answer: `head` and a newline, then `body` and a newline if given; written at the end of this turn. */
function put(head: string, body?: string): void {
  // A UTF-16 length L is at most 3L bytes of UTF-8.
  const need = (head.length + (body?.length ?? 0)) * 3 + 2;
  if (out.length - outLen < need) {
    const grown = new Uint8Array(Math.max(outLen + need, out.length * 2));
    grown.set(out.subarray(0, outLen));
    out = grown;
  }
  outLen += encoder.encodeInto(head, out.subarray(outLen)).written;
  out[outLen++] = 10;
  if (body !== undefined) {
    outLen += encoder.encodeInto(body, out.subarray(outLen)).written;
    out[outLen++] = 10;
  }
  if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flush);
  }
}

// A component that ends the process still lets the answers made before it out.
process.on("exit", flush);

/** UTF-8 length of `text`, or 0 when it is surely shorter than the inline limit. */
function rawLength(text: string): number {
  // A UTF-16 length L is at most 3L bytes of UTF-8: short texts skip the count.
  return text.length * 3 < INLINE_MAX ? 0 : Buffer.byteLength(text, "utf8");
}

type Extra = { head?: unknown; queries?: unknown };

function sendHtml(id: number, html: string, extra: Extra | undefined): void {
  const bytes = rawLength(html);
  if (bytes >= INLINE_MAX) {
    put(JSON.stringify({ id, result: { html_bytes: bytes, ...extra } }), html);
  } else if (extra === undefined) {
    put(`{"id":${id},"result":{"html":${JSON.stringify(html)}}}`);
  } else {
    put(JSON.stringify({ id, result: { html, ...extra } }));
  }
}

function sendChunk(id: number, html: string): void {
  const bytes = rawLength(html);
  if (bytes >= INLINE_MAX) put(`{"id":${id},"chunk_bytes":${bytes}}`, html);
  else put(`{"id":${id},"chunk":${JSON.stringify(html)}}`);
}

// ---- rendering --------------------------------------------------------------

type Element = unknown;
type ReadableStreamLike = ReadableStream<Uint8Array> & { allReady: Promise<void> };

type Renderer = {
  createElement: (type: unknown, props: unknown, ...children: unknown[]) => Element;
  renderToString: (element: Element) => string;
  renderToReadableStream: (
    element: Element,
    options: { signal: AbortSignal; nonce?: string; onError?: (err: unknown) => void },
  ) => Promise<ReadableStreamLike>;
  /** `MizanRoot` of the directory's `@mizan/client`, when it has one. */
  root: unknown;
  /** The page's query client machinery of the directory's `@mizan/client`, when it has TanStack Query. */
  queries: PageQueries | undefined;
};

/** What the worker uses of `@mizan/client/react/page-queries`. */
type PageQueries = {
  PageQueries: unknown;
  createServerQueryClient: () => unknown;
  dehydratePage: (client: unknown) => unknown;
};

type Loaded = { renderer: Renderer; component: unknown };

/** What a render in flight holds: how to stop it, and what its result carries beside the HTML. */
type Live = { readonly controller: AbortController; extra: Extra | undefined };

/** Per directory: the React the components there import. */
const renderers = new Map<string, Promise<Renderer>>();
/** Per absolute path: the imported component and its renderer. */
const loaded = new Map<string, Loaded>();
/** Renders in flight, by the host's id. */
const live = new Map<number, Live>();

async function importFrom(spec: string, dir: string): Promise<Record<string, unknown>> {
  return (await import(Bun.resolveSync(spec, dir))) as Record<string, unknown>;
}

function pick(mod: Record<string, unknown>, name: string): unknown {
  return mod[name] ?? (mod["default"] as Record<string, unknown> | undefined)?.[name];
}

/** The React of the component's directory (cached per directory). */
function rendererFor(dir: string): Promise<Renderer> {
  let r = renderers.get(dir);
  if (!r) {
    r = (async () => {
      const react = await importFrom("react", dir);
      const server = await importFrom("react-dom/server", dir);
      const createElement = pick(react, "createElement");
      const renderToString = pick(server, "renderToString");
      const renderToReadableStream = pick(server, "renderToReadableStream");
      if (typeof createElement !== "function" || typeof renderToString !== "function") {
        throw new Error(`could not load react / react-dom/server from ${dir}`);
      }
      // Without @mizan/client next to the component, nothing there reads the contexts.
      let root: unknown;
      try {
        root = pick(await importFrom("@mizan/client/react/root", dir), "MizanRoot");
      } catch {
        root = undefined;
      }
      // Without TanStack Query there, nothing there reads queries.
      let queries: PageQueries | undefined;
      try {
        const mod = await importFrom("@mizan/client/react/page-queries", dir);
        queries = {
          PageQueries: pick(mod, "PageQueries"),
          createServerQueryClient: pick(mod, "createServerQueryClient") as PageQueries["createServerQueryClient"],
          dehydratePage: pick(mod, "dehydratePage") as PageQueries["dehydratePage"],
        };
      } catch {
        queries = undefined;
      }
      return { createElement, renderToString, renderToReadableStream, root, queries } as Renderer;
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

function checkParams(params: unknown): asserts params is RenderParams {
  const p = params as RenderParams | undefined;
  if (!p || typeof p !== "object" || typeof p.path !== "string" || !p.path.startsWith("/")) {
    throw new Error("render needs params.path, an absolute path");
  }
  if (
    p.layouts !== undefined &&
    !(Array.isArray(p.layouts) && p.layouts.every((l) => typeof l === "string" && l.startsWith("/")))
  ) {
    throw new Error("params.layouts must be a list of absolute paths");
  }
}

/** React's production and development messages for a component that suspended in `renderToString`. */
function suspended(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return message.includes("#426") || message.includes("suspended while responding to synchronous input");
}

/** The page rendered at once, or `undefined` when something in it suspended. */
function renderNow(renderer: Renderer, element: Element): string | undefined {
  try {
    const html = renderer.renderToString(element);
    // A boundary that suspended was left for the browser to render.
    return html.includes("<!--$!-->") ? undefined : html;
  } catch (err) {
    if (suspended(err)) return undefined;
    throw err;
  }
}

/** The `<script>` elements a piece of React's stream ends with. */
const TRAILING_SCRIPTS = /(?:<script\b[^>]*>[^<]*<\/script>)+$/;

/**
 * The page of a render that suspended: whole once everything it waits for is
 * ready when that is as soon as its shell is (nothing pending under a
 * `<Suspense>`); otherwise streamed: the shell goes to the host as the first
 * chunk, then each boundary's segment (and React's inline scripts, with the
 * page's nonce) as a chunk as its data arrives, and the rest is returned.
 */
async function renderSuspended(
  id: number,
  renderer: Renderer,
  element: Element,
  entry: Live,
  nonce: string | undefined,
): Promise<string> {
  if (typeof renderer.renderToReadableStream !== "function") {
    throw new Error("the component suspended, and this react-dom/server cannot wait for it (no renderToReadableStream)");
  }
  const signal = entry.controller.signal;
  const stream = await renderer.renderToReadableStream(element, {
    signal,
    ...(nonce === undefined ? {} : { nonce }),
    // React's own report, except for the abort of a render the host gave up on.
    onError: (err: unknown) => {
      if (!signal.aborted) console.error(err);
    },
  });
  const ready = await Promise.race([
    stream.allReady.then(() => true),
    // After the work queued now (React finishes what is ready in this
    // turn); not a timer, which costs Bun about a millisecond per render.
    new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
  ]);
  if (ready) return await new Response(stream).text();
  // What React writes in one go is one chunk: the shell first, then each
  // boundary as it completes.
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let piece = "";
  let shell = true;
  let next = reader.read();
  for (;;) {
    const { done, value } = await next;
    if (done) break;
    piece += decoder.decode(value, { stream: true });
    next = reader.read();
    const more = await Promise.race([next.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
    if (!more && piece !== "") {
      if (live.get(id) === entry) {
        if (shell) {
          // The root holds only what React rendered for the page: the inline
          // scripts React ends the shell with follow the root, as the late segments do.
          const scripts = TRAILING_SCRIPTS.exec(piece)?.[0] ?? "";
          sendChunk(id, piece.slice(0, piece.length - scripts.length));
          if (scripts !== "") sendChunk(id, scripts);
        } else {
          sendChunk(id, piece);
        }
      }
      shell = false;
      piece = "";
    }
  }
  return piece + decoder.decode();
}

/** What the page's `MizanRoot` hands the components of this render (`useServerRender()`). */
function serverRender(id: number, entry: Live) {
  const mine = () => live.get(id) === entry;
  return {
    id,
    call: (fn: string, args: Record<string, unknown>): Promise<unknown> => callHost(id, fn, args),
    chunk(html: string): void {
      if (mine()) sendChunk(id, String(html));
    },
    setResult(field: "head" | "queries", value: unknown): void {
      if (field !== "head" && field !== "queries") throw new Error(`setResult: no field ${String(field)}`);
      entry.extra = { ...entry.extra, [field]: value };
    },
    signal: entry.controller.signal,
  };
}

async function render(id: number, params: unknown): Promise<void> {
  const entry: Live = { controller: new AbortController(), extra: undefined };
  live.set(id, entry);
  const mine = () => live.get(id) === entry;
  try {
    checkParams(params);
    // Cached components render without awaiting anything.
    const { renderer, component } = loaded.get(params.path) ?? (await load(params.path));
    let element = renderer.createElement(component, params.props ?? {});
    // The layouts around the page, the innermost first: each gets the part inside it as `children`.
    const layouts = params.layouts ?? [];
    for (let i = layouts.length - 1; i >= 0; i--) {
      const layout = layouts[i] as string;
      const { component: around } = loaded.get(layout) ?? (await load(layout));
      element = renderer.createElement(around, null, element);
    }
    // The render's own QueryClient: what the page's hooks read, dehydrated into the result.
    let client: unknown;
    if (renderer.root !== undefined) {
      if (renderer.queries !== undefined) {
        client = renderer.queries.createServerQueryClient();
        element = renderer.createElement(renderer.queries.PageQueries, { client }, element);
      }
      const rootProps = { contexts: params.contexts ?? {}, server: serverRender(id, entry) };
      element = renderer.createElement(renderer.root, rootProps, element);
    }
    // The answers made so far go out before this render runs: if it never
    // returns, they are not lost with it.
    if (outLen > 0) flush();
    const html = renderNow(renderer, element) ?? (await renderSuspended(id, renderer, element, entry, params.nonce));
    if (client !== undefined && renderer.queries !== undefined) {
      const queries = renderer.queries.dehydratePage(client);
      if (queries !== undefined) entry.extra = { ...entry.extra, queries };
    }
    if (mine()) sendHtml(id, html, entry.extra);
  } catch (err) {
    if (mine()) put(JSON.stringify({ id, error: errorOf(err) }));
  } finally {
    if (mine()) live.delete(id);
    dropCalls(id);
  }
}

/** The host gave up on render `id` (its deadline passed): stop it, answer nothing. */
function cancel(id: number): void {
  const entry = live.get(id);
  if (entry === undefined) return;
  live.delete(id);
  dropCalls(id);
  entry.controller.abort(new Error("the host cancelled this render"));
}

// ---- calls to the host ----------------------------------------------------

let callSeq = 0;
/** Calls waiting for the host, by call id. */
const calls = new Map<string, { render: number; resolve: (envelope: unknown) => void }>();

function callHost(render: number, fn: string, args: Record<string, unknown>): Promise<unknown> {
  if (!live.has(render)) {
    return Promise.resolve({ error: { code: "UNAVAILABLE", message: "the render has ended" } });
  }
  const id = `c${++callSeq}`;
  const line = JSON.stringify({ id, method: "call", params: { render, fn, args: args ?? {} } });
  return new Promise((resolve) => {
    calls.set(id, { render, resolve });
    put(line);
  });
}

function settleCall(id: string, req: Request): void {
  const waiting = calls.get(id);
  if (waiting === undefined) return; // its render ended first
  calls.delete(id);
  waiting.resolve(
    req.result !== undefined ? req.result : { error: { code: "INTERNAL", message: "the host answered the call without a result" } },
  );
}

/** Forgets the calls of a render that ended: their answers, if any, are dropped. */
function dropCalls(render: number): void {
  if (calls.size === 0) return;
  for (const [id, c] of calls) if (c.render === render) calls.delete(id);
}

// ---- errors -------------------------------------------------------------------

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

// ---- the request loop -------------------------------------------------------

function handle(line: string): void {
  let req: Request;
  try {
    req = JSON.parse(line);
  } catch {
    logTo("error")("unparsable request line ignored:", line.slice(0, 200));
    return;
  }
  if (req === null || typeof req !== "object") {
    logTo("error")("request line that is not an object ignored:", line.slice(0, 200));
    return;
  }
  if (typeof req.id === "string") {
    settleCall(req.id, req);
    return;
  }
  const id = typeof req.id === "number" ? req.id : 0;
  switch (req.method) {
    case "ping":
      put(`{"id":${id},"result":"pong"}`);
      return;
    case "render":
      void renderIds.run(id, render, id, req.params);
      return;
    case "cancel":
      cancel(id);
      return;
    default:
      put(JSON.stringify({ id, error: { message: `unknown method ${JSON.stringify(req.method)}`, stack: "" } }));
  }
}

const decoder = new TextDecoder();
/** Bytes of a request line not yet ended by its newline. */
let pending: Uint8Array = new Uint8Array(0);

/** Handles every complete line in `pending` + `chunk`, keeping the rest. */
function take(chunk: Uint8Array): void {
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
    if (line.trim() !== "") handle(line);
  }
  pending = start === data.length ? new Uint8Array(0) : data.slice(start);
}

const reader = Bun.stdin.stream().getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  take(value);
}
flush();
process.exit(0);
