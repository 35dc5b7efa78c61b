/**
 * The core runtime (`createClient`) against the real `hello` server: each
 * request shape and error code of wire protocol v1 that hello can produce.
 */

import { describe, expect, it } from "vitest";
import { createClient, DEFAULT_MAX_BATCH, MAX_GET_URL_BYTES, MizanError, type MizanClient } from "@mizan/client";
import { baseUrl, bearer, origin, recordingFetch, rejection } from "./support";

function client(options: Parameters<typeof createClient>[0] = {}): MizanClient & ReturnType<typeof recordingFetch> {
  const rec = recordingFetch();
  return Object.assign(createClient({ baseUrl, fetch: rec.fetch, ...options }), rec);
}

describe("calls", () => {
  it("echo round-trips over POST call/echo when sent alone", async () => {
    const c = client({ batch: false });
    await expect(c.call("echo", { text: "hi ✓" })).resolves.toEqual({ message: "hi ✓" });
    expect(c.sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST call/echo"]);
    expect(c.sent[0]?.body).toBe('{"text":"hi ✓"}');
  });

  it("a lone call with batching on is still a plain call", async () => {
    const c = client();
    await expect(c.call("echo", { text: "solo" })).resolves.toEqual({ message: "solo" });
    expect(c.sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST call/echo"]);
  });

  it("a query goes out as GET call/{name}?input=… and succeeds", async () => {
    const c = client();
    await expect(c.call("greet", { name: "Ada & Grace?" }, { query: true })).resolves.toBe("Hello, Ada & Grace?!");
    expect(c.sent).toHaveLength(1);
    const [sent] = c.sent;
    expect(sent?.method).toBe("GET");
    expect(sent?.body).toBeUndefined();
    const url = new URL(sent?.path ?? "", `${baseUrl}/`);
    expect(url.pathname).toBe(new URL(`${baseUrl}/call/greet`).pathname);
    expect(JSON.parse(url.searchParams.get("input") ?? "null")).toEqual({ name: "Ada & Grace?" });
  });

  it("a query without arguments sends no input parameter", async () => {
    const c = client({ headers: bearer("staff") });
    await expect(c.call("stats", {}, { query: true })).resolves.toEqual({ functions: 4 });
    expect(c.sent.map((r) => `${r.method} ${r.path}`)).toEqual(["GET call/stats"]);
  });

  it("GET on a mutation rejects with METHOD_NOT_ALLOWED / 405", async () => {
    const c = client();
    const e = await rejection(c.call("echo", { text: "x" }, { query: true }));
    expect(e).toBeInstanceOf(MizanError);
    expect(e.code).toBe("METHOD_NOT_ALLOWED");
    expect(e.status).toBe(405);
    expect(c.sent.map((r) => r.method)).toEqual(["GET"]);
  });

  it("an unknown function rejects with NOT_FOUND / 404, over POST and GET", async () => {
    const c = client({ batch: false });
    for (const query of [false, true]) {
      const e = await rejection(c.call("no_such_fn", {}, { query }));
      expect([e.code, e.status]).toEqual(["NOT_FOUND", 404]);
    }
  });
});

describe("long queries", () => {
  /** A `text` whose `GET call/text_length?input=…` URL is exactly `bytes` long. */
  const textForUrl = (bytes: number): string => {
    const url = (text: string) => `${baseUrl}/call/text_length?input=${encodeURIComponent(JSON.stringify({ text }))}`;
    return "a".repeat(bytes - url("").length);
  };

  it("a query whose URL is just under 4 KiB goes as GET, one just over as POST call/{name}; both succeed", async () => {
    expect(MAX_GET_URL_BYTES).toBe(4096);
    const c = client({ batch: false });
    const under = textForUrl(MAX_GET_URL_BYTES);
    const over = textForUrl(MAX_GET_URL_BYTES + 1);
    await expect(c.call("text_length", { text: under }, { query: true })).resolves.toBe(under.length);
    await expect(c.call("text_length", { text: over }, { query: true })).resolves.toBe(over.length);
    expect(c.sent.map((r) => r.method)).toEqual(["GET", "POST"]);
    const [get, post] = c.sent;
    expect(`${baseUrl}/${get?.path ?? ""}`).toHaveLength(MAX_GET_URL_BYTES);
    expect(post?.path).toBe("call/text_length");
    expect(JSON.parse(post?.body ?? "null")).toEqual({ text: over });
  });

  it("a long query with batching on is a plain POST too, and one far past 4 KiB (64 KiB) still succeeds", async () => {
    const c = client();
    const text = "é".repeat(32 * 1024);
    await expect(c.call("text_length", { text }, { query: true })).resolves.toBe(32 * 1024);
    expect(c.sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST call/text_length"]);
  });

  it("a long query still meets the server's validation: a wrong type is VALIDATION over POST", async () => {
    const c = client({ batch: false });
    const e = await rejection(c.call("text_length", { text: 1, pad: "x".repeat(5000) }, { query: true }));
    expect([e.code, e.status]).toEqual(["VALIDATION", 422]);
    expect(c.sent.map((r) => r.method)).toEqual(["POST"]);
  });
});

describe("validation", () => {
  const c = client({ batch: false });

  it("a failed garde rule: greet({ name: '' }) → VALIDATION 422 with fields.name and too_small", async () => {
    const e = await rejection(c.call("greet", { name: "" }, { query: true }));
    expect([e.code, e.status]).toEqual(["VALIDATION", 422]);
    expect(Object.keys(e.fields)).toEqual(["name"]);
    expect(e.fields["name"]?.length).toBeGreaterThan(0);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: ["name"], code: "too_small" });
    expect(typeof e.issues[0]?.message).toBe("string");
  });

  it("lengths count code points: 40 astral characters pass, 41 are too_big", async () => {
    const forty = "😀".repeat(40); // 80 UTF-16 code units
    await expect(c.call("greet", { name: forty }, { query: true })).resolves.toBe(`Hello, ${forty}!`);
    const e = await rejection(c.call("greet", { name: `${forty}😀` }, { query: true }));
    expect(e.code).toBe("VALIDATION");
    expect(e.issues[0]).toMatchObject({ path: ["name"], code: "too_big" });
  });

  it("a missing argument is `required` under its wire name", async () => {
    const e = await rejection(c.call("echo", {}));
    expect([e.code, e.status]).toEqual(["VALIDATION", 422]);
    expect(e.fields).toHaveProperty("text");
    expect(e.issues).toEqual([expect.objectContaining({ path: ["text"], code: "required" })]);
  });

  it("a wrong type is `invalid_type`", async () => {
    const e = await rejection(c.call("echo", { text: 1 }));
    expect([e.code, e.status]).toEqual(["VALIDATION", 422]);
    expect(e.fields).toHaveProperty("text");
    expect(e.issues).toEqual([expect.objectContaining({ path: ["text"], code: "invalid_type" })]);
  });

  it("an unknown key is `unknown_key`", async () => {
    const e = await rejection(c.call("echo", { text: "x", extra: true }));
    expect([e.code, e.status]).toEqual(["VALIDATION", 422]);
    expect(e.issues).toEqual([expect.objectContaining({ code: "unknown_key" })]);
    const [issue] = e.issues;
    // The unknown key is named, by its path or in the message.
    expect(JSON.stringify(issue?.path) + (issue?.message ?? "")).toContain("extra");
  });

  it("an argument object on a function without arguments still refuses unknown keys", async () => {
    const e = await rejection(c.call("whoami", { id: "ada" }, { query: true }));
    // Auth is checked before input: anonymous callers cannot probe validation.
    expect(e.code).toBe("UNAUTHENTICATED");
    const authed = createClient({ baseUrl, batch: false, headers: bearer("user") });
    const v = await rejection(authed.call("whoami", { id: "ada" }, { query: true }));
    expect([v.code, v.status]).toEqual(["VALIDATION", 422]);
    expect(v.issues[0]?.code).toBe("unknown_key");
  });

  it("validation errors arrive the same way in a batch item", async () => {
    const b = client();
    const [bad, good] = await Promise.allSettled([b.call("greet", { name: "" }), b.call("greet", { name: "x" })]);
    expect(b.sent.map((r) => r.path)).toEqual(["batch"]);
    expect(good).toEqual({ status: "fulfilled", value: "Hello, x!" });
    expect(bad.status).toBe("rejected");
    const e = (bad as PromiseRejectedResult).reason as MizanError;
    expect(e.code).toBe("VALIDATION");
    expect(e.fields).toHaveProperty("name");
    expect(e.issues[0]).toMatchObject({ path: ["name"], code: "too_small" });
  });
});

describe("auth levels", () => {
  it("whoami without identity → UNAUTHENTICATED / 401; with a user token → the identity", async () => {
    const anon = client({ batch: false });
    const e = await rejection(anon.call("whoami", {}, { query: true }));
    expect([e.code, e.status]).toEqual(["UNAUTHENTICATED", 401]);
    const user = client({ batch: false, headers: bearer("user") });
    await expect(user.call("whoami", {}, { query: true })).resolves.toEqual({ id: "ada", role: "user" });
    expect(user.sent[0]?.headers.get("authorization")).toBe("Bearer hello-user-token");
  });

  it("stats: anonymous 401, user 403 FORBIDDEN, staff and superuser 200", async () => {
    const call = (headers: Record<string, string>) =>
      createClient({ baseUrl, batch: false, headers }).call("stats", {}, { query: true });
    const anon = await rejection(call({}));
    expect([anon.code, anon.status]).toEqual(["UNAUTHENTICATED", 401]);
    const user = await rejection(call(bearer("user")));
    expect([user.code, user.status]).toEqual(["FORBIDDEN", 403]);
    await expect(call(bearer("staff"))).resolves.toEqual({ functions: 4 });
    await expect(call(bearer("superuser"))).resolves.toEqual({ functions: 4 });
  });

  it("a headers function is called per request, so a changed token is picked up", async () => {
    let token = "hello-user-token";
    const c = createClient({ baseUrl, batch: false, headers: () => ({ authorization: `Bearer ${token}` }) });
    expect((await rejection(c.call("stats", {}, { query: true }))).code).toBe("FORBIDDEN");
    token = "hello-staff-token";
    await expect(c.call("stats", {}, { query: true })).resolves.toEqual({ functions: 4 });
  });

  it("an unknown token is no identity", async () => {
    const c = createClient({ baseUrl, batch: false, headers: { authorization: "Bearer nope" } });
    expect((await rejection(c.call("whoami", {}, { query: true }))).code).toBe("UNAUTHENTICATED");
  });
});

describe("batching", () => {
  it("three same-tick calls make ONE POST batch, answered in order, one failure failing only itself", async () => {
    const c = client();
    const results = await Promise.allSettled([
      c.call("echo", { text: "one" }),
      c.call("greet", { name: "" }, { query: true }),
      c.call("greet", { name: "three" }, { query: true }),
    ]);
    expect(c.sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST batch"]);
    expect(JSON.parse(c.sent[0]?.body ?? "null")).toEqual([
      { fn: "echo", args: { text: "one" } },
      { fn: "greet", args: { name: "" } },
      { fn: "greet", args: { name: "three" } },
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: { message: "one" } });
    expect(results[1]?.status).toBe("rejected");
    const e = (results[1] as PromiseRejectedResult).reason as MizanError;
    expect(e).toBeInstanceOf(MizanError);
    expect(e.code).toBe("VALIDATION");
    expect(e.fields).toHaveProperty("name");
    expect(results[2]).toEqual({ status: "fulfilled", value: "Hello, three!" });
  });

  it("per-item errors of every kind sit beside successes", async () => {
    const c = client();
    const results = await Promise.allSettled([
      c.call("no_such_fn", {}),
      c.call("whoami", {}),
      c.call("stats", {}),
      c.call("echo", { text: "ok" }),
    ]);
    expect(c.sent).toHaveLength(1);
    const codes = results.map((r) => (r.status === "fulfilled" ? r.value : ((r.reason as MizanError).code)));
    expect(codes).toEqual(["NOT_FOUND", "UNAUTHENTICATED", "UNAUTHENTICATED", { message: "ok" }]);
  });

  it("a batch carries the client's headers (auth applies per item)", async () => {
    const c = client({ headers: bearer("user") });
    const [me, st] = await Promise.allSettled([c.call("whoami", {}), c.call("stats", {})]);
    expect(c.sent.map((r) => r.path)).toEqual(["batch"]);
    expect(me).toEqual({ status: "fulfilled", value: { id: "ada", role: "user" } });
    expect(st.status === "rejected" && (st.reason as MizanError).code).toBe("FORBIDDEN");
  });

  it(`${DEFAULT_MAX_BATCH + 1} calls split into ${DEFAULT_MAX_BATCH} + 1 with the default maxBatch`, async () => {
    const c = client();
    const n = DEFAULT_MAX_BATCH + 1;
    const out = await Promise.all(Array.from({ length: n }, (_, i) => c.call("echo", { text: String(i) })));
    expect(out).toEqual(Array.from({ length: n }, (_, i) => ({ message: String(i) })));
    expect(c.sent.map((r) => r.path)).toEqual(["batch", "call/echo"]);
    expect(JSON.parse(c.sent[0]?.body ?? "[]")).toHaveLength(DEFAULT_MAX_BATCH);
  });

  it("past the server's batch length, every call rejects with PAYLOAD_TOO_LARGE / 413", async () => {
    const c = client({ maxBatch: 100 });
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => c.call("echo", { text: String(i) })));
    expect(c.sent.map((r) => r.path)).toEqual(["batch"]);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      const e = (r as PromiseRejectedResult).reason as MizanError;
      expect([e.code, e.status]).toEqual(["PAYLOAD_TOO_LARGE", 413]);
    }
    // ...and the server keeps serving.
    await expect(c.call("echo", { text: "after" })).resolves.toEqual({ message: "after" });
  });
});

describe("CSRF", () => {
  /** A fresh `mizan_csrf` token, as the server sets it on a response. */
  async function csrfToken(): Promise<string> {
    const r = await fetch(`${baseUrl}/call/greet?input=${encodeURIComponent('{"name":"csrf"}')}`);
    expect(r.status).toBe(200);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith("mizan_csrf="));
    expect(cookie, "the server sets a mizan_csrf cookie").toBeDefined();
    const token = /^mizan_csrf=([^;]*)/.exec(cookie ?? "")?.[1] ?? "";
    expect(token).not.toBe("");
    return token;
  }

  it("a cookie-carrying cross-site POST without the token → CSRF / 403", async () => {
    const token = await csrfToken();
    const c = client({
      batch: false,
      csrf: false,
      headers: { cookie: `sessionid=s1; mizan_csrf=${token}`, origin: "https://evil.example" },
    });
    const e = await rejection(c.call("echo", { text: "x" }));
    expect([e.code, e.status]).toEqual(["CSRF", 403]);
    expect(c.sent[0]?.headers.has("x-mizan-csrf")).toBe(false);
    // A batch is an unsafe request too.
    const b = client({ csrf: false, headers: { cookie: `mizan_csrf=${token}`, origin: "https://evil.example" } });
    const both = await Promise.allSettled([b.call("echo", { text: "1" }), b.call("echo", { text: "2" })]);
    expect(b.sent.map((r) => r.path)).toEqual(["batch"]);
    for (const r of both) expect(r.status === "rejected" && (r.reason as MizanError).code).toBe("CSRF");
  });

  it("with x-mizan-csrf equal to the mizan_csrf cookie it passes, batched or not", async () => {
    const token = await csrfToken();
    // No Origin to judge by (a browser that sends none): the token vouches for the cookie.
    const headers = { cookie: `sessionid=s1; mizan_csrf=${token}` };
    const c = client({ batch: false, csrf: () => token, headers });
    await expect(c.call("echo", { text: "x" })).resolves.toEqual({ message: "x" });
    expect(c.sent[0]?.headers.get("x-mizan-csrf")).toBe(token);
    const b = client({ csrf: () => token, headers });
    await expect(Promise.all([b.call("echo", { text: "1" }), b.call("echo", { text: "2" })])).resolves.toEqual([
      { message: "1" },
      { message: "2" },
    ]);
    // A token that does not match the cookie is refused.
    const wrong = client({ batch: false, csrf: () => `${token}x`, headers });
    expect((await rejection(wrong.call("echo", { text: "x" }))).code).toBe("CSRF");
    // A foreign Origin is refused even with the right token.
    const foreign = client({ batch: false, csrf: () => token, headers: { ...headers, origin: "https://evil.example" } });
    expect((await rejection(foreign.call("echo", { text: "x" }))).code).toBe("CSRF");
  });

  it("a same-origin cookie POST passes without the token; GET queries are never checked", async () => {
    const token = await csrfToken();
    const same = client({ batch: false, csrf: false, headers: { cookie: `mizan_csrf=${token}`, origin } });
    await expect(same.call("echo", { text: "same" })).resolves.toEqual({ message: "same" });
    const get = client({ batch: false, csrf: false, headers: { cookie: `mizan_csrf=${token}`, origin: "https://evil.example" } });
    await expect(get.call("greet", { name: "x" }, { query: true })).resolves.toBe("Hello, x!");
  });
});

describe("aborts", () => {
  it("aborting an in-flight call rejects with AbortError and the server keeps serving", async () => {
    for (const batch of [false, true]) {
      const c = client({ batch });
      const ac = new AbortController();
      const p = c.call("echo", { text: "slow" }, { signal: ac.signal });
      const other = c.call("echo", { text: "other" });
      await Promise.resolve();
      ac.abort();
      await expect(p).rejects.toMatchObject({ name: "AbortError" });
      await expect(other).resolves.toEqual({ message: "other" });
      await expect(c.call("echo", { text: "after" })).resolves.toEqual({ message: "after" });
    }
  });

  it("an already aborted signal sends nothing", async () => {
    const c = client();
    const ac = new AbortController();
    ac.abort();
    await expect(c.call("echo", { text: "x" }, { signal: ac.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(c.sent).toHaveLength(0);
  });
});
