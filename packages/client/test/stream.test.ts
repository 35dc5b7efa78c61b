import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, LineDecoder, MizanError } from "../src/index";
import { gate, startServer, type RecordedRequest, type TestServer } from "./support/server";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("LineDecoder", () => {
  it("gives whole lines as their newline arrives, whatever the pieces", () => {
    const d = new LineDecoder();
    expect(d.push(bytes('{"data":1}\n{"da'))).toEqual(['{"data":1}']);
    expect(d.push(bytes('ta":2}'))).toEqual([]);
    expect(d.push(bytes('\n\n{"end":true}\r\n'))).toEqual(['{"data":2}', '{"end":true}']);
    expect(d.end()).toBeUndefined();
  });

  it("decodes a character split between pieces", () => {
    const d = new LineDecoder();
    const all = bytes('{"data":"żółw 🐢"}\n');
    const lines: string[] = [];
    for (let i = 0; i < all.length; i++) lines.push(...d.push(all.subarray(i, i + 1)));
    expect(lines).toEqual(['{"data":"żółw 🐢"}']);
  });

  it("gives back what follows the last newline, and refuses bytes that are not UTF-8", () => {
    const d = new LineDecoder();
    expect(d.push(bytes('{"data":1}\n{"data"'))).toEqual(['{"data":1}']);
    expect(d.end()).toBe('{"data"');
    expect(() => new LineDecoder().push(new Uint8Array([0xff, 0x0a]))).toThrow(TypeError);
    const cut = new LineDecoder();
    cut.push(bytes("é").subarray(0, 1));
    expect(() => cut.end()).toThrow(TypeError);
  });
});

/** A raw route answering stream function `name` with `write(res, req)`. */
function route(name: string, write: (res: ServerResponse, req: RecordedRequest) => void | Promise<void>) {
  return (req: RecordedRequest, res: ServerResponse): boolean => {
    if (req.path !== `/api/mizan/call/${name}`) return false;
    void write(res, req);
    return true;
  };
}

function ndjson(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/x-ndjson" });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the response is closed (by the client or by its end). */
function closed(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => res.on("close", () => resolve(!res.writableFinished)));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ echo: { query: true, handler: (args) => args } });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.raw = undefined;
});

describe("client.stream", () => {
  it("yields each item as its line arrives, until the end line; a query goes as GET ?input=", async () => {
    const sent = gate();
    server.raw = route("ticks", async (res) => {
      ndjson(res);
      res.write('{"data":1}\n{"data":');
      await sent.promise;
      res.write('{"n":2}}\n');
      res.end('{"end":true}\n');
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const items = client.stream<unknown>("ticks", { from: 2 }, { query: true });
    expect(server.requests).toHaveLength(0);
    const first = await items.next();
    expect(first).toEqual({ done: false, value: 1 });
    // The second item is not there before its line is.
    const second = items.next();
    expect(await Promise.race([second, pause(50).then(() => "pending")])).toBe("pending");
    sent.open();
    expect(await second).toEqual({ done: false, value: { n: 2 } });
    expect(await items.next()).toEqual({ done: true, value: undefined });
    const req = server.requests[0]!;
    expect(req.method).toBe("GET");
    expect(req.query.get("input")).toBe('{"from":2}');
    expect(req.headers["accept"]).toBe("application/x-ndjson");
  });

  it("sends a mutation as POST and an error line as the MizanError it holds, after the items", async () => {
    server.raw = route("logs", (res) => {
      ndjson(res);
      res.end('{"data":"a"}\n{"data":"b"}\n{"error":{"code":"RAN_DRY","message":"no more"}}\n');
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const got: unknown[] = [];
    const error = await (async () => {
      for await (const item of client.stream("logs", { n: 1 })) got.push(item);
    })().catch((e: unknown) => e);
    expect(got).toEqual(["a", "b"]);
    expect(error).toBeInstanceOf(MizanError);
    expect(error).toMatchObject({ code: "RAN_DRY", message: "no more" });
    expect(server.requests[0]!.method).toBe("POST");
    expect(server.requests[0]!.body).toBe('{"n":1}');
  });

  it("rejects with the server's error answer when the stream fails before its first item", async () => {
    server.raw = route("ticks", (res) => {
      const body = JSON.stringify({
        error: { code: "VALIDATION", message: "invalid input", issues: [{ path: ["from"], code: "too_big", message: "greater than 100" }] },
      });
      res.writeHead(422, { "content-type": "application/json" });
      res.end(body);
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const error = await collect(client.stream("ticks", { from: 101 }, { query: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MizanError);
    expect(error).toMatchObject({ code: "VALIDATION", status: 422, issues: [{ path: ["from"], code: "too_big" }] });
  });

  it("is NETWORK when cut short and BAD_RESPONSE when it is not the protocol", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const answers: [string, (res: ServerResponse) => void, string, string][] = [
      ["cut after an item", (res) => (ndjson(res), res.end('{"data":1}\n')), "NETWORK", "after its last item"],
      ["cut inside a line", (res) => (ndjson(res), res.end('{"data":1}\n{"da')), "NETWORK", "inside a line"],
      ["a line not JSON", (res) => (ndjson(res), res.end("nope\n")), "BAD_RESPONSE", "not JSON"],
      ["a line of no kind", (res) => (ndjson(res), res.end('{"items":[]}\n')), "BAD_RESPONSE", "expected"],
      [
        "a proxy's HTML",
        (res) => (res.writeHead(502, { "content-type": "text/html" }), res.end("<h1>Bad gateway</h1>")),
        "BAD_RESPONSE",
        "not JSON",
      ],
      [
        "a whole answer",
        (res) => (res.writeHead(200, { "content-type": "application/json" }), res.end('{"data":[1,2]}')),
        "BAD_RESPONSE",
        "application/x-ndjson",
      ],
    ];
    for (const [what, write, code, reason] of answers) {
      server.raw = route("ticks", write);
      const error = await collect(client.stream("ticks", {})).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(MizanError);
      expect((error as MizanError).code, what).toBe(code);
      expect((error as MizanError).message, what).toContain(reason);
    }
  });

  it("aborts the request when the loop is left early", async () => {
    let res!: ServerResponse;
    const opened = gate();
    server.raw = route("ticks", (r) => {
      res = r;
      ndjson(r);
      r.write('{"data":0}\n{"data":1}\n');
      opened.open();
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const got: unknown[] = [];
    for await (const item of client.stream("ticks", {})) {
      got.push(item);
      if (got.length === 1) break;
    }
    await opened.promise;
    expect(got).toEqual([0]);
    expect(await closed(res)).toBe(true);
    expect(server.requests[0]!.aborted).toBe(true);
  });

  it("stops with the signal's reason when it aborts mid-stream, and the request ends", async () => {
    let res!: ServerResponse;
    server.raw = route("ticks", (r) => {
      res = r;
      ndjson(r);
      r.write('{"data":0}\n');
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const controller = new AbortController();
    const items = client.stream("ticks", {}, { signal: controller.signal });
    expect(await items.next()).toEqual({ done: false, value: 0 });
    const next = items.next();
    const reason = new DOMException("user left", "AbortError");
    controller.abort(reason);
    await expect(next).rejects.toBe(reason);
    expect(await closed(res)).toBe(true);
    // An already-aborted signal sends nothing.
    const before = server.requests.length;
    await expect(client.stream("ticks", {}, { signal: controller.signal }).next()).rejects.toBe(reason);
    expect(server.requests).toHaveLength(before);
  });

  it("is never batched: same-tick calls batch, the stream goes on its own", async () => {
    server.raw = route("ticks", (res) => {
      ndjson(res);
      res.end('{"data":7}\n{"end":true}\n');
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const [a, b, streamed] = await Promise.all([
      client.call("echo", { i: 1 }),
      client.call("echo", { i: 2 }),
      collect(client.stream("ticks", {})),
    ]);
    expect([a, b, streamed]).toEqual([{ i: 1 }, { i: 2 }, [7]]);
    const paths = server.requests.map((r) => r.path).sort();
    expect(paths).toEqual(["/api/mizan/batch", "/api/mizan/call/ticks"]);
  });

  it("refuses arguments that are not JSON before sending anything", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    await expect(client.stream("ticks", { n: 1n }).next()).rejects.toThrow(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});
