import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, MAX_GET_URL_BYTES } from "../src/index";
import { jsonBody, startServer, type TestServer } from "./support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    search: { query: true, handler: (args) => args },
    save: { handler: (args) => args },
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  vi.unstubAllGlobals();
});

const unbatched = (extra: Parameters<typeof createClient>[0] = {}) =>
  createClient({ baseUrl: server.baseUrl, batch: false, ...extra });

describe("queries over GET", () => {
  it("puts URL-encoded JSON args in ?input=", async () => {
    const args = { q: "a&b=c d/é", tags: ["x", "#y"], n: 1 };
    await expect(unbatched().call("search", args, { query: true })).resolves.toEqual(args);
    const req = server.requests[0]!;
    expect(req.method).toBe("GET");
    expect(req.path).toBe("/api/mizan/call/search");
    expect(req.body).toBe("");
    expect(req.query.get("input")).toBe(JSON.stringify(args));
  });

  it("encodes input with encodeURIComponent exactly", async () => {
    let seen = "";
    const fetch = vi.fn((url: string) => {
      seen = url;
      return Promise.resolve(new Response('{"data":1}', { status: 200 }));
    });
    await createClient({ baseUrl: "/api/mizan", batch: false, fetch }).call("search", { q: "a b&c" }, { query: true });
    expect(seen).toBe(`/api/mizan/call/search?input=${encodeURIComponent('{"q":"a b&c"}')}`);
  });

  it("omits input when args are {} or undefined", async () => {
    await unbatched().call("search", {}, { query: true });
    await unbatched().call("search", undefined, { query: true });
    for (const req of server.requests) {
      expect(req.method).toBe("GET");
      expect(req.query.has("input")).toBe(false);
    }
    expect(server.requests).toHaveLength(2);
  });

  /** Args `{ q }` whose GET URL for `search` is exactly `bytes` long (ASCII `q`). */
  const argsForUrl = (bytes: number) => {
    const url = (q: string) => `${server.baseUrl}/call/search?input=${encodeURIComponent(JSON.stringify({ q }))}`;
    return { q: "x".repeat(bytes - url("").length) };
  };

  it("sends a query whose URL is exactly MAX_GET_URL_BYTES as GET", async () => {
    expect(MAX_GET_URL_BYTES).toBe(4096);
    const args = argsForUrl(MAX_GET_URL_BYTES);
    let sent = "";
    const fetch = vi.fn((url: string, init: RequestInit) => {
      sent = url;
      return globalThis.fetch(url, init);
    });
    await expect(unbatched({ fetch }).call("search", args, { query: true })).resolves.toEqual(args);
    expect(sent.length).toBe(4096);
    expect(server.requests.map((r) => r.method)).toEqual(["GET"]);
    expect(server.requests[0]!.query.get("input")).toBe(JSON.stringify(args));
  });

  it("sends a query whose URL would pass MAX_GET_URL_BYTES as POST call/{name} with the JSON body", async () => {
    const args = argsForUrl(MAX_GET_URL_BYTES + 1);
    // Batching on: a lone long query is a plain POST call, not a batch.
    await expect(createClient({ baseUrl: server.baseUrl }).call("search", args, { query: true })).resolves.toEqual(args);
    const req = server.requests[0]!;
    expect([req.method, req.path]).toEqual(["POST", "/api/mizan/call/search"]);
    expect(req.query.has("input")).toBe(false);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(jsonBody(req)).toEqual(args);
  });

  it("measures the URL as sent: percent-encoding counts, not the JSON's length", async () => {
    // 500 "€" are 1,500 bytes of UTF-8 JSON but 4,500 bytes once percent-encoded.
    const args = { q: "€".repeat(500) };
    expect(new TextEncoder().encode(JSON.stringify(args)).length).toBeLessThan(MAX_GET_URL_BYTES);
    await expect(unbatched().call("search", args, { query: true })).resolves.toEqual(args);
    expect(server.requests.map((r) => r.method)).toEqual(["POST"]);
    expect(jsonBody(server.requests[0]!)).toEqual(args);
  });

  it("sends mutations as POST with a JSON body", async () => {
    await unbatched().call("save", { title: "t" });
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.accept).toBe("application/json");
    expect(jsonBody(req)).toEqual({ title: "t" });
  });

  it("sends {} for a mutation without args", async () => {
    await unbatched().call("save", undefined);
    expect(server.requests[0]!.body).toBe("{}");
  });

  it("tolerates a trailing slash on baseUrl", async () => {
    const client = createClient({ baseUrl: `${server.baseUrl}/`, batch: false });
    expect(client.baseUrl).toBe(server.baseUrl);
    await client.call("save", {});
    expect(server.requests[0]!.path).toBe("/api/mizan/call/save");
  });

  it("defaults baseUrl to /api/mizan and credentials to same-origin", async () => {
    const calls: [string, RequestInit][] = [];
    const fetch = (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return Promise.resolve(new Response('{"data":null}'));
    };
    const client = createClient({ fetch, batch: false });
    expect(client.baseUrl).toBe("/api/mizan");
    await client.call("save", {});
    expect(calls[0]?.[0]).toBe("/api/mizan/call/save");
    expect(calls[0]?.[1].credentials).toBe("same-origin");
    await createClient({ fetch, batch: false, credentials: "include" }).call("save", {});
    expect(calls[1]?.[1].credentials).toBe("include");
  });

  it("uses globalThis.fetch looked up at call time", async () => {
    const stub = vi.fn(() => Promise.resolve(new Response('{"data":7}')));
    const client = createClient({ batch: false });
    vi.stubGlobal("fetch", stub);
    await expect(client.call("save", {})).resolves.toBe(7);
    expect(stub).toHaveBeenCalledOnce();
  });
});

describe("headers", () => {
  it("adds a fixed headers object", async () => {
    await unbatched({ headers: { authorization: "Bearer t1", "x-extra": "1" } }).call("save", {});
    expect(server.requests[0]!.headers.authorization).toBe("Bearer t1");
    expect(server.requests[0]!.headers["x-extra"]).toBe("1");
  });

  it("calls a headers function (sync or async) for every request", async () => {
    let n = 0;
    const client = unbatched({ headers: async () => ({ authorization: `Bearer ${++n}` }) });
    await client.call("save", {});
    await client.call("search", {}, { query: true });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer 1", "Bearer 2"]);
  });

  it("calls the headers function once per batch", async () => {
    const headers = vi.fn(() => ({ authorization: "Bearer b" }));
    const client = createClient({ baseUrl: server.baseUrl, headers });
    await Promise.all([client.call("save", {}), client.call("save", {}), client.call("save", {})]);
    expect(headers).toHaveBeenCalledOnce();
    expect(server.requests[0]!.headers.authorization).toBe("Bearer b");
  });

  it("rejects the calls when the headers function throws", async () => {
    const boom = new Error("no token");
    const client = createClient({
      baseUrl: server.baseUrl,
      headers: () => {
        throw boom;
      },
    });
    const settled = await Promise.allSettled([client.call("save", {}), client.call("save", {})]);
    expect(settled).toEqual([
      { status: "rejected", reason: boom },
      { status: "rejected", reason: boom },
    ]);
    expect(server.requests).toHaveLength(0);
  });
});

describe("CSRF", () => {
  it("sends the mizan_csrf cookie as x-mizan-csrf on POST", async () => {
    vi.stubGlobal("document", { cookie: "theme=dark; mizan_csrf=tok%2Ben; other=1" });
    await unbatched().call("save", {});
    expect(server.requests[0]!.headers["x-mizan-csrf"]).toBe("tok+en");
  });

  it("sends it on batch requests", async () => {
    vi.stubGlobal("document", { cookie: "mizan_csrf=abc" });
    const client = createClient({ baseUrl: server.baseUrl });
    await Promise.all([client.call("save", {}), client.call("search", {}, { query: true })]);
    expect(server.requests[0]!.path).toBe("/api/mizan/batch");
    expect(server.requests[0]!.headers["x-mizan-csrf"]).toBe("abc");
  });

  it("reads the cookie per request, not once", async () => {
    const doc = { cookie: "mizan_csrf=first" };
    vi.stubGlobal("document", doc);
    const client = unbatched();
    await client.call("save", {});
    doc.cookie = "mizan_csrf=second";
    await client.call("save", {});
    expect(server.requests.map((r) => r.headers["x-mizan-csrf"])).toEqual(["first", "second"]);
  });

  it("does not send it on GET", async () => {
    vi.stubGlobal("document", { cookie: "mizan_csrf=abc" });
    await unbatched().call("search", {}, { query: true });
    expect(server.requests[0]!.headers["x-mizan-csrf"]).toBeUndefined();
  });

  it("sends nothing without the cookie or without a document", async () => {
    vi.stubGlobal("document", { cookie: "xmizan_csrf=no; mizan_csrfx=no" });
    await unbatched().call("save", {});
    vi.unstubAllGlobals();
    expect(typeof (globalThis as { document?: unknown }).document).toBe("undefined");
    await unbatched().call("save", {});
    expect(server.requests.map((r) => r.headers["x-mizan-csrf"])).toEqual([undefined, undefined]);
  });

  it("uses a csrf function instead of the cookie, or nothing when false", async () => {
    vi.stubGlobal("document", { cookie: "mizan_csrf=cookie" });
    await unbatched({ csrf: () => "from-fn" }).call("save", {});
    await unbatched({ csrf: false }).call("save", {});
    expect(server.requests.map((r) => r.headers["x-mizan-csrf"])).toEqual(["from-fn", undefined]);
  });
});
