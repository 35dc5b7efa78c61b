import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, isMizanError, MizanError, type MizanClient } from "../src/index";
import { startServer, WireError, type TestServer } from "./support/server";

/** The code/status table of wire protocol v1, written out independently of the implementation. */
const PROTOCOL: [string, number][] = [
  ["BAD_REQUEST", 400],
  ["VALIDATION", 422],
  ["UNAUTHENTICATED", 401],
  ["FORBIDDEN", 403],
  ["CSRF", 403],
  ["NOT_FOUND", 404],
  ["METHOD_NOT_ALLOWED", 405],
  ["PAYLOAD_TOO_LARGE", 413],
  ["RATE_LIMITED", 429],
  ["INTERNAL", 500],
  ["UNAVAILABLE", 503],
  ["TIMEOUT", 504],
];

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    ok: { handler: (args) => args },
    fail: {
      handler: (args) => {
        const { code, status } = args as { code: string; status: number };
        throw new WireError(status, { code, message: `failed: ${code}`, request_id: `rid-${code}` });
      },
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.raw = undefined;
  server.requests.length = 0;
});

async function rejection(p: Promise<unknown>): Promise<MizanError> {
  const e = await p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(isMizanError(e)).toBe(true);
  return e as MizanError;
}

describe("error envelopes", () => {
  const unbatched = (): MizanClient => createClient({ baseUrl: server.baseUrl, batch: false });

  it.each([...PROTOCOL, ["OUT_OF_STOCK", 409] as [string, number]])(
    "decodes %s with its HTTP status %i",
    async (code, status) => {
      const e = await rejection(unbatched().call("fail", { code, status }));
      expect(e).toBeInstanceOf(MizanError);
      expect(e.code).toBe(code);
      expect(e.status).toBe(status);
      expect(e.message).toBe(`failed: ${code}`);
      expect(e.requestId).toBe(`rid-${code}`);
    },
  );

  it.each(PROTOCOL)("gives batched item %s its protocol status %i", async (code, status) => {
    const client = createClient({ baseUrl: server.baseUrl });
    // The HTTP status the handler picks is not on the wire for a batch item.
    const failing = client.call("fail", { code, status: 418 });
    const other = client.call("ok", { n: 1 });
    const e = await rejection(failing);
    await expect(other).resolves.toEqual({ n: 1 });
    expect(server.requests.map((r) => r.path)).toEqual(["/api/mizan/batch"]);
    expect(e.code).toBe(code);
    expect(e.status).toBe(status);
    expect(e.requestId).toBe(`rid-${code}`);
  });

  it("gives a batched handler-defined code the error object's status, else 400", async () => {
    server.functions.set("custom", {
      handler: (args) => {
        const error: Record<string, unknown> = { code: "OUT_OF_STOCK", message: "gone" };
        if (typeof args["status"] === "number") error["status"] = args["status"];
        throw new WireError(409, error);
      },
    });
    const client = createClient({ baseUrl: server.baseUrl });
    const withStatus = rejection(client.call("custom", { status: 409 }));
    const without = rejection(client.call("custom", {}));
    expect((await withStatus).status).toBe(409);
    expect((await without).status).toBe(400);
    expect((await without).code).toBe("OUT_OF_STOCK");
  });

  it("decodes fields and issues", async () => {
    server.functions.set("validate", {
      handler: () => {
        throw new WireError(422, {
          code: "VALIDATION",
          message: "invalid input",
          fields: { "items.0.name": ["required"], "": ["too many items"] },
          issues: [
            { path: ["items", 0, "name"], code: "required", message: "required" },
            { path: [], code: "too_big", message: "too many items" },
          ],
        });
      },
    });
    const e = await rejection(unbatched().call("validate", {}));
    expect(e.fields).toEqual({ "items.0.name": ["required"], "": ["too many items"] });
    expect(e.issues).toEqual([
      { path: ["items", 0, "name"], code: "required", message: "required" },
      { path: [], code: "too_big", message: "too many items" },
    ]);
  });

  it("derives fields from issues when the server sends only issues", async () => {
    server.raw = (_req, res) => {
      res.writeHead(422, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            code: "VALIDATION",
            message: "invalid",
            issues: [
              { path: ["items", 1, "qty"], code: "too_small", message: "at least 1" },
              { path: [], code: "custom", message: "whole" },
            ],
          },
        }),
      );
      return true;
    };
    const e = await rejection(unbatched().call("x", {}));
    expect(e.fields).toEqual({ "items.1.qty": ["at least 1"], "": ["whole"] });
  });

  it("gives INTERNAL without a message a generic one and keeps the request id", async () => {
    server.raw = (_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "INTERNAL", request_id: "abc123" } }));
      return true;
    };
    const e = await rejection(unbatched().call("x", {}));
    expect(e.code).toBe("INTERNAL");
    expect(e.status).toBe(500);
    expect(e.message).toBe("Internal server error");
    expect(e.requestId).toBe("abc123");
  });

  it("honours an error envelope sent with a 200 status", async () => {
    server.raw = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "FORBIDDEN", message: "no" } }));
      return true;
    };
    const e = await rejection(unbatched().call("x", {}));
    expect(e.code).toBe("FORBIDDEN");
    expect(e.status).toBe(200);
  });

  it("resolves with null data", async () => {
    server.functions.set("nothing", { handler: () => null });
    await expect(unbatched().call("nothing", {})).resolves.toBeNull();
  });
});

describe("BAD_RESPONSE", () => {
  const cases: [string, number, string, string][] = [
    ["a proxy's HTML 502", 502, "text/html", "<html><body>Bad Gateway</body></html>"],
    ["invalid JSON on 200", 200, "application/json", '{"data": '],
    ["JSON without data or error", 200, "application/json", '{"result": 1}'],
    ["a non-object error", 400, "application/json", '{"error": "boom"}'],
    ["an error without a valid code", 400, "application/json", '{"error": {"code": "lower case", "message": "x"}}'],
    ["a data envelope on a 500", 500, "application/json", '{"data": 1}'],
    ["a JSON array for a single call", 200, "application/json", "[]"],
    ["an empty body", 204, "text/plain", ""],
  ];

  it.each(cases)("for %s", async (_name, status, type, body) => {
    server.raw = (_req, res) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
      return true;
    };
    const e = await rejection(createClient({ baseUrl: server.baseUrl, batch: false }).call("x", {}));
    expect(e.code).toBe("BAD_RESPONSE");
    expect(e.status).toBe(status);
    expect(e.message).toContain("/api/mizan/call/x");
  });

  const batchCases: [string, number, string][] = [
    ["an HTML 502", 502, "<html>Bad Gateway</html>"],
    ["a non-array", 200, '{"data": []}'],
    ["the wrong number of results", 200, '[{"data": 1}]'],
    ["a non-protocol error status", 400, '{"message": "nope"}'],
  ];

  it.each(batchCases)("rejects every batched call for %s", async (_name, status, body) => {
    server.raw = (_req, res) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(body);
      return true;
    };
    const client = createClient({ baseUrl: server.baseUrl });
    const a = rejection(client.call("ok", {}));
    const b = rejection(client.call("ok", {}));
    for (const e of await Promise.all([a, b])) {
      expect(e.code).toBe("BAD_RESPONSE");
      expect(e.status).toBe(status);
    }
    expect(server.requests).toHaveLength(1);
  });

  it("rejects only the malformed item of a batch", async () => {
    server.raw = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify([{ data: 1 }, { nope: true }, { error: { code: "FORBIDDEN", message: "no" } }]));
      return true;
    };
    const client = createClient({ baseUrl: server.baseUrl });
    const a = client.call("ok", {});
    const b = rejection(client.call("ok", {}));
    const c = rejection(client.call("ok", {}));
    await expect(a).resolves.toBe(1);
    expect((await b).code).toBe("BAD_RESPONSE");
    expect((await c).code).toBe("FORBIDDEN");
  });
});

describe("NETWORK", () => {
  it("when nothing listens (status 0, cause kept)", async () => {
    const dead = await startServer();
    const baseUrl = dead.baseUrl;
    await dead.close();
    const e = await rejection(createClient({ baseUrl, batch: false }).call("x", {}));
    expect(e.code).toBe("NETWORK");
    expect(e.status).toBe(0);
    expect(e.cause).toBeInstanceOf(Error);
  });

  it("when the connection drops mid-request, for every batched call", async () => {
    server.raw = (_req, res) => {
      res.socket?.destroy();
      return true;
    };
    const client = createClient({ baseUrl: server.baseUrl });
    const errors = await Promise.all([rejection(client.call("ok", {})), rejection(client.call("ok", {}))]);
    expect(errors.map((e) => [e.code, e.status])).toEqual([
      ["NETWORK", 0],
      ["NETWORK", 0],
    ]);
  });

  it("when a custom fetch rejects", async () => {
    const client = createClient({
      batch: false,
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    const e = await rejection(client.call("x", {}));
    expect(e.code).toBe("NETWORK");
    expect(e.message).toContain("Failed to fetch");
  });
});
