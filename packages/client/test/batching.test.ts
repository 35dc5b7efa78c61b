import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, isMizanError } from "../src/index";
import { jsonBody, startServer, WireError, type TestServer } from "./support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    echo: { handler: (args) => args },
    double: { query: true, handler: (args) => (args["n"] as number) * 2 },
    deny: {
      handler: () => {
        throw new WireError(403, { code: "FORBIDDEN", message: "denied" });
      },
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  server.maxBatch = 50;
});

describe("batching", () => {
  it("merges three same-tick calls into one POST batch, results in order", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const results = await Promise.all([
      client.call("echo", { text: "a" }),
      client.call("double", { n: 21 }, { query: true }),
      client.call("echo", { text: "c" }),
    ]);
    expect(results).toEqual([{ text: "a" }, 42, { text: "c" }]);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api/mizan/batch");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(jsonBody(req)).toEqual([
      { fn: "echo", args: { text: "a" } },
      { fn: "double", args: { n: 21 } },
      { fn: "echo", args: { text: "c" } },
    ]);
  });

  it("settles each call with its own item when some fail", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const settled = await Promise.allSettled([
      client.call("echo", { i: 1 }),
      client.call("deny", {}),
      client.call("missing", {}),
      client.call("echo", { i: 4 }),
    ]);
    expect(settled[0]).toEqual({ status: "fulfilled", value: { i: 1 } });
    expect(settled[3]).toEqual({ status: "fulfilled", value: { i: 4 } });
    const [deny, missing] = [settled[1], settled[2]].map((s) => (s?.status === "rejected" ? s.reason : undefined));
    expect(isMizanError(deny) && [deny.code, deny.status]).toEqual(["FORBIDDEN", 403]);
    expect(isMizanError(missing) && [missing.code, missing.status]).toEqual(["NOT_FOUND", 404]);
    expect(server.requests).toHaveLength(1);
  });

  it("sends a single queued call on the plain call endpoint (GET for a query)", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    await expect(client.call("double", { n: 2 }, { query: true })).resolves.toBe(4);
    await expect(client.call("echo", { x: 1 })).resolves.toEqual({ x: 1 });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/mizan/call/double",
      "POST /api/mizan/call/echo",
    ]);
  });

  it("keeps calls of different ticks in different requests", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const a = client.call("echo", { t: 1 });
    await Promise.resolve();
    await Promise.resolve();
    const b = client.call("echo", { t: 2 });
    await Promise.all([a, b]);
    expect(server.requests.map((r) => r.path)).toEqual(["/api/mizan/call/echo", "/api/mizan/call/echo"]);
  });

  it("splits past maxBatch", async () => {
    const client = createClient({ baseUrl: server.baseUrl, maxBatch: 3 });
    const calls = Array.from({ length: 7 }, (_, i) => client.call("echo", { i }));
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 7 }, (_, i) => ({ i })));
    const sizes = server.requests.map((r) => (r.path.endsWith("/batch") ? (jsonBody(r) as unknown[]).length : 1));
    expect(sizes).toEqual([3, 3, 1]);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/api/mizan/batch",
      "/api/mizan/batch",
      "/api/mizan/call/echo",
    ]);
  });

  it("splits at the default limit of 50", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const calls = Array.from({ length: 120 }, (_, i) => client.call("echo", { i }));
    const results = await Promise.all(calls);
    expect(results[119]).toEqual({ i: 119 });
    expect(server.requests.map((r) => (jsonBody(r) as unknown[]).length)).toEqual([50, 50, 20]);
  });

  it("rejects every call of a batch the server refuses as a whole (413)", async () => {
    server.maxBatch = 2;
    const client = createClient({ baseUrl: server.baseUrl });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => client.call("echo", { i })));
    for (const s of settled) {
      expect(s.status).toBe("rejected");
      const e = s.status === "rejected" ? s.reason : undefined;
      expect(isMizanError(e) && [e.code, e.status]).toEqual(["PAYLOAD_TOO_LARGE", 413]);
    }
  });

  it("rejects every call of a malformed batch (400)", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    // An undefined name serializes to no "fn" key: the server refuses the envelope.
    const settled = await Promise.allSettled([
      client.call("echo", {}),
      client.call(undefined as unknown as string, {}),
    ]);
    expect(settled.map((s) => (s.status === "rejected" && isMizanError(s.reason) ? s.reason.code : s.status))).toEqual([
      "BAD_REQUEST",
      "BAD_REQUEST",
    ]);
  });

  it("sends every call on its own when batch is false", async () => {
    const client = createClient({ baseUrl: server.baseUrl, batch: false });
    const results = await Promise.all([
      client.call("echo", { i: 1 }),
      client.call("double", { n: 5 }, { query: true }),
      client.call("echo", { i: 3 }),
    ]);
    expect(results).toEqual([{ i: 1 }, 10, { i: 3 }]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      "GET /api/mizan/call/double",
      "POST /api/mizan/call/echo",
      "POST /api/mizan/call/echo",
    ]);
  });

  it("lets one call opt out of batching", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    await Promise.all([
      client.call("echo", { i: 1 }),
      client.call("echo", { i: 2 }, { batch: false }),
      client.call("echo", { i: 3 }),
    ]);
    expect(server.requests.map((r) => r.path).sort()).toEqual(["/api/mizan/batch", "/api/mizan/call/echo"]);
    const batch = server.requests.find((r) => r.path.endsWith("/batch"));
    expect(jsonBody(batch)).toEqual([
      { fn: "echo", args: { i: 1 } },
      { fn: "echo", args: { i: 3 } },
    ]);
  });

  it("snapshots args when the call is made", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const args = { text: "before" };
    const p = client.call("echo", args);
    args.text = "after";
    await expect(p).resolves.toEqual({ text: "before" });
  });

  it("rejects only the call whose args cannot be serialized", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const bad = client.call("echo", { n: 1n });
    const good = client.call("echo", { n: 1 });
    await expect(bad).rejects.toBeInstanceOf(TypeError);
    await expect(good).resolves.toEqual({ n: 1 });
    expect(server.requests.map((r) => r.path)).toEqual(["/api/mizan/call/echo"]);
  });

  it("refuses a maxBatch below 1", () => {
    expect(() => createClient({ maxBatch: 0 })).toThrow(RangeError);
    expect(() => createClient({ maxBatch: 1.5 })).toThrow(RangeError);
  });
});
