/**
 * A small in-process implementation of wire protocol v1 on `node:http`, for
 * unit tests. It records every request it receives. The real Rust server is
 * exercised by the integration tests instead.
 */

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when the client went away before the response was written. */
  aborted: boolean;
}

/** Thrown by a handler to answer with a protocol error. */
export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
  ) {
    super(String(error["code"]));
  }
}

export type Handler = (args: Record<string, unknown>, req: RecordedRequest) => unknown;

export interface FunctionDef {
  query?: boolean;
  handler: Handler;
}

/** A raw route answered before the protocol, e.g. a proxy's HTML 502. Return true when handled. */
export type RawRoute = (req: RecordedRequest, res: ServerResponse) => boolean;

export interface TestServer {
  /** `http://127.0.0.1:PORT/api/mizan` */
  baseUrl: string;
  requests: RecordedRequest[];
  functions: Map<string, FunctionDef>;
  /** Replace (or clear) the raw route. */
  raw: RawRoute | undefined;
  maxBatch: number;
  /** Resolves once `n` requests have been received in total. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

const PREFIX = "/api/mizan";

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function run(def: FunctionDef | undefined, name: string, args: unknown, req: RecordedRequest) {
  if (!def) return { status: 404, body: { error: { code: "NOT_FOUND", message: `no function ${name}` } } };
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return { status: 400, body: { error: { code: "BAD_REQUEST", message: "args must be an object" } } };
  }
  try {
    return { status: 200, body: { data: await def.handler(args as Record<string, unknown>, req) } };
  } catch (e) {
    if (e instanceof WireError) return { status: e.status, body: { error: e.error } };
    return { status: 500, body: { error: { code: "INTERNAL", message: "internal error", request_id: "req-test" } } };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts a protocol server on 127.0.0.1, port 0. */
export async function startServer(functions: Record<string, FunctionDef> = {}): Promise<TestServer> {
  const waiters: { n: number; resolve: () => void }[] = [];
  const state: TestServer = {
    baseUrl: "",
    requests: [],
    functions: new Map(Object.entries(functions)),
    raw: undefined,
    maxBatch: 50,
    waitForRequests(n) {
      if (state.requests.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => Promise.resolve(),
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const rec: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: await readBody(req),
        aborted: false,
      };
      res.on("close", () => {
        if (!res.writableFinished) rec.aborted = true;
      });
      state.requests.push(rec);
      for (const w of waiters.filter((w) => state.requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (state.raw?.(rec, res)) return;

      const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
        try {
          return { ok: true, value: JSON.parse(text) as unknown };
        } catch {
          return { ok: false };
        }
      };
      const badRequest = { error: { code: "BAD_REQUEST", message: "malformed request" } };

      if (rec.path.startsWith(`${PREFIX}/call/`)) {
        const name = decodeURIComponent(rec.path.slice(`${PREFIX}/call/`.length));
        const def = state.functions.get(name);
        let args: unknown = {};
        if (rec.method === "GET") {
          if (def && !def.query) {
            return send(res, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "not a query" } });
          }
          const input = rec.query.get("input");
          if (input !== null) {
            const p = parse(input);
            if (!p.ok) return send(res, 400, badRequest);
            args = p.value;
          }
        } else {
          const p = parse(rec.body);
          if (!p.ok) return send(res, 400, badRequest);
          args = p.value;
        }
        const out = await run(def, name, args, rec);
        return send(res, out.status, out.body);
      }

      if (rec.path === `${PREFIX}/batch` && rec.method === "POST") {
        const p = parse(rec.body);
        if (!p.ok || !Array.isArray(p.value)) return send(res, 400, badRequest);
        const items = p.value as unknown[];
        if (items.length > state.maxBatch) {
          return send(res, 413, { error: { code: "PAYLOAD_TOO_LARGE", message: "batch too long" } });
        }
        const well = items.every((i) => typeof i === "object" && i !== null && typeof (i as { fn?: unknown }).fn === "string");
        if (!well) return send(res, 400, badRequest);
        const outs = await Promise.all(
          items.map((i) => {
            const { fn, args } = i as { fn: string; args: unknown };
            return run(state.functions.get(fn), fn, args, rec);
          }),
        );
        return send(res, 200, outs.map((o) => o.body));
      }

      send(res, 404, { error: { code: "NOT_FOUND", message: "no route" } });
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}${PREFIX}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    });
  return state;
}

/** A promise with its resolver exposed, to hold a handler open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Parsed JSON body of a recorded request. */
export function jsonBody(req: RecordedRequest | undefined): unknown {
  if (!req) throw new Error("no such request");
  return JSON.parse(req.body) as unknown;
}
