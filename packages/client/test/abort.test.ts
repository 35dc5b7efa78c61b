import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient } from "../src/index";
import { gate, jsonBody, startServer, type TestServer } from "./support/server";

let server: TestServer;
let hold = gate();
beforeAll(async () => {
  server = await startServer({
    echo: { handler: (args) => args },
    slow: {
      query: true,
      handler: async (args) => {
        await hold.promise;
        return args;
      },
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  hold.open();
  hold = gate();
  server.requests.length = 0;
});

const abortName = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof Error || e instanceof DOMException ? e.name : String(e)),
  );

describe("abort", () => {
  it("rejects at once, sending nothing, when the signal is already aborted", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    ac.abort();
    await expect(abortName(client.call("echo", {}, { signal: ac.signal }))).resolves.toBe("AbortError");
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(0);
  });

  it("removes a call aborted before the flush from the batch", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const a = client.call("echo", { n: 1 });
    const b = abortName(client.call("echo", { n: 2 }, { signal: ac.signal }));
    const c = client.call("echo", { n: 3 });
    ac.abort();
    await expect(b).resolves.toBe("AbortError");
    await expect(Promise.all([a, c])).resolves.toEqual([{ n: 1 }, { n: 3 }]);
    expect(server.requests).toHaveLength(1);
    expect(jsonBody(server.requests[0])).toEqual([
      { fn: "echo", args: { n: 1 } },
      { fn: "echo", args: { n: 3 } },
    ]);
  });

  it("sends the one call left after an abort before the flush unbatched", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const a = client.call("echo", { n: 1 });
    const b = abortName(client.call("echo", { n: 2 }, { signal: ac.signal }));
    ac.abort();
    await expect(a).resolves.toEqual({ n: 1 });
    await expect(b).resolves.toBe("AbortError");
    expect(server.requests.map((r) => r.path)).toEqual(["/api/mizan/call/echo"]);
  });

  it("sends nothing when every queued call is aborted before the flush", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const calls = [1, 2].map((n) => abortName(client.call("echo", { n }, { signal: ac.signal })));
    ac.abort();
    expect(await Promise.all(calls)).toEqual(["AbortError", "AbortError"]);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests).toHaveLength(0);
  });

  it("rejects an in-flight batched call but keeps the request for the others", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const a = abortName(client.call("slow", { n: 1 }, { signal: ac.signal, query: true }));
    const b = client.call("slow", { n: 2 }, { query: true });
    await server.waitForRequests(1);
    ac.abort();
    await expect(a).resolves.toBe("AbortError");
    hold.open();
    await expect(b).resolves.toEqual({ n: 2 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe("/api/mizan/batch");
    expect(server.requests[0]!.aborted).toBe(false);
  });

  it("aborts the batch request once every call in it is aborted", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac1 = new AbortController();
    const ac2 = new AbortController();
    const a = abortName(client.call("slow", { n: 1 }, { signal: ac1.signal }));
    const b = abortName(client.call("slow", { n: 2 }, { signal: ac2.signal }));
    await server.waitForRequests(1);
    ac1.abort();
    await expect(a).resolves.toBe("AbortError");
    await new Promise((r) => setTimeout(r, 20));
    expect(server.requests[0]!.aborted).toBe(false);
    ac2.abort();
    await expect(b).resolves.toBe("AbortError");
    await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true));
  });

  it("aborts an unbatched in-flight request and rethrows AbortError", async () => {
    const client = createClient({ baseUrl: server.baseUrl, batch: false });
    const ac = new AbortController();
    const p = abortName(client.call("slow", {}, { signal: ac.signal, query: true }));
    await server.waitForRequests(1);
    ac.abort();
    await expect(p).resolves.toBe("AbortError");
    await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true));
  });

  it("rejects with the signal's own reason when one is given", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const reason = new Error("navigated away");
    const p = client.call("slow", {}, { signal: ac.signal });
    await server.waitForRequests(1);
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
  });

  it("stops listening to a signal once the call settled", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    const ac = new AbortController();
    const remove = vi.spyOn(ac.signal, "removeEventListener");
    await client.call("echo", {}, { signal: ac.signal });
    expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
  });
});
