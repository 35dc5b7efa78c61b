/**
 * The generated TypeScript of examples/hello (`examples/hello/frontend/generated`)
 * against the real `hello` server it was generated from: client functions
 * through the default client (`configure`), the metadata's auth levels, and
 * the Zod schemas agreeing with the server's validation.
 */

import { beforeEach, describe, expect, it } from "vitest";
import { configure, getClient, MizanError as RuntimeMizanError } from "@mizan/client";
import {
  accountsLogin,
  AccountsLoginOutputSchema,
  accountsMe,
  echo,
  EchoInputSchema,
  EchoOutputSchema,
  greet,
  GreetInputSchema,
  GreetOutputSchema,
  MizanError,
  mizanFunctions,
  type MizanFunctionMeta,
  mizanMayCall,
  stats,
  StatsOutputSchema,
  textLength,
  whoami,
  WhoamiOutputSchema,
  type EchoInput,
  type GreetInput,
  type MizanAuthLevel,
  type MizanFunctionName,
} from "hello-frontend/frontend/generated";
import { ACCOUNT, baseUrl, bearer, recordingFetch, rejection, TOKENS, type SentRequest } from "./support";

let sent: SentRequest[];

/** Points the default client (what generated functions call through) at the server. */
function use(headers: Record<string, string> = {}): void {
  const rec = recordingFetch();
  sent = rec.sent;
  configure({ baseUrl, fetch: rec.fetch, headers });
}

beforeEach(() => use());

describe("generated client functions", () => {
  it("echo({ text }) → { message }, over POST call/echo", async () => {
    const out = await echo({ text: "hi" });
    expect(out).toEqual({ message: "hi" });
    expect(EchoOutputSchema.parse(out)).toEqual(out);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST call/echo"]);
  });

  it("greet is a query: GET call/greet?input=…", async () => {
    const out = await greet({ name: "Ada" });
    expect(out).toBe("Hello, Ada!");
    expect(GreetOutputSchema.parse(out)).toBe(out);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe("GET");
    expect(sent[0]?.path).toBe(`call/greet?input=${encodeURIComponent('{"name":"Ada"}')}`);
  });

  it("textLength is a query: GET while its URL fits in 4 KiB, POST call/text_length past it", async () => {
    await expect(textLength({ text: "short" })).resolves.toBe(5);
    const long = "x".repeat(5000);
    await expect(textLength({ text: long })).resolves.toBe(5000);
    expect(sent.map((r) => `${r.method} ${r.path.replace(/\?.*/, "?…")}`)).toEqual([
      "GET call/text_length?…",
      "POST call/text_length",
    ]);
  });

  it("greet({ name: '' }) rejects with the runtime's MizanError: VALIDATION 422, fields.name, too_small", async () => {
    const e = await rejection(greet({ name: "" }));
    expect(MizanError).toBe(RuntimeMizanError);
    expect(e).toBeInstanceOf(MizanError);
    expect([e.code, e.status]).toEqual(["VALIDATION", 422]);
    expect(e.fields["name"]?.length).toBeGreaterThan(0);
    expect(e.issues[0]?.code).toBe("too_small");
    expect(e.issues[0]?.path).toEqual(["name"]);
  });

  it("an unknown key or a wrong type (past the types) is refused as VALIDATION", async () => {
    const unknown = await rejection(echo({ text: "x", extra: 1 } as unknown as EchoInput));
    expect([unknown.code, unknown.status]).toEqual(["VALIDATION", 422]);
    expect(unknown.issues[0]?.code).toBe("unknown_key");
    const wrong = await rejection(echo({ text: 1 } as unknown as EchoInput));
    expect([wrong.code, wrong.status]).toEqual(["VALIDATION", 422]);
    expect(wrong.fields).toHaveProperty("text");
    expect(wrong.issues[0]?.code).toBe("invalid_type");
    const missing = await rejection(greet({} as GreetInput));
    expect(missing.issues[0]).toMatchObject({ path: ["name"], code: "required" });
  });

  it("whoami anonymous → UNAUTHENTICATED 401; with a token → the identity", async () => {
    const e = await rejection(whoami());
    expect([e.code, e.status]).toEqual(["UNAUTHENTICATED", 401]);
    use(bearer("user"));
    const me = await whoami();
    expect(me).toEqual({ id: "ada", role: "user" });
    expect(WhoamiOutputSchema.parse(me)).toEqual(me);
  });

  it("stats with the user token → FORBIDDEN 403; with the staff token → 200", async () => {
    use(bearer("user"));
    const e = await rejection(stats());
    expect([e.code, e.status]).toEqual(["FORBIDDEN", 403]);
    use(bearer("staff"));
    const out = await stats();
    expect(out).toEqual({ functions: 4 });
    expect(StatsOutputSchema.parse(out)).toEqual(out);
    expect(sent[0]?.headers.get("authorization")).toBe("Bearer hello-staff-token");
  });

  it("three same-tick generated calls go out as ONE POST batch, in order, one failure failing only itself", async () => {
    const results = await Promise.allSettled([echo({ text: "a" }), greet({ name: "" }), greet({ name: "c" })]);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST batch"]);
    expect(JSON.parse(sent[0]?.body ?? "null")).toEqual([
      { fn: "echo", args: { text: "a" } },
      { fn: "greet", args: { name: "" } },
      { fn: "greet", args: { name: "c" } },
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: { message: "a" } });
    expect(results[2]).toEqual({ status: "fulfilled", value: "Hello, c!" });
    const failed = results[1];
    expect(failed?.status).toBe("rejected");
    const e = (failed as PromiseRejectedResult).reason as MizanError;
    expect(e).toBeInstanceOf(MizanError);
    expect(e.code).toBe("VALIDATION");
    expect(e.fields).toHaveProperty("name");
  });

  it("an aborted generated call rejects with AbortError", async () => {
    const ac = new AbortController();
    const p = greet({ name: "x" }, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    await expect(greet({ name: "y" })).resolves.toBe("Hello, y!");
  });
});

describe("accounts", () => {
  it("accountsLogin answers a stored user matching its schema; bad credentials are UNAUTHENTICATED, alike", async () => {
    const user = await accountsLogin({ ...ACCOUNT });
    expect(AccountsLoginOutputSchema.parse(user)).toMatchObject({ username: "vitest", is_staff: false, is_superuser: false });
    expect(user.id).toMatch(/^[0-9]+$/);
    const wrong = await rejection(accountsLogin({ username: ACCOUNT.username, password: "not the password" }));
    const unknown = await rejection(accountsLogin({ username: "nobody-here", password: ACCOUNT.password }));
    expect([wrong.code, unknown.code]).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED"]);
    expect(wrong.message).toBe(unknown.message);
    // Node's fetch keeps no cookies, so this client is still anonymous.
    await expect(accountsMe()).resolves.toBeNull();
  });
});

describe("generated metadata agrees with the server", () => {
  const validArgs: Record<MizanFunctionName, Record<string, unknown>> = {
    echo: { text: "x" },
    greet: { name: "x" },
    text_length: { text: "x" },
    whoami: {},
    stats: {},
    say: { room: "lobby", text: "hi" },
    current_user: {},
    "contact.schema": {},
    "contact.validate": { name: "Ada", email: "ada@example.com", message: "Hello there, mizan!" },
    "contact.submit": { name: "Ada", email: "ada@example.com", message: "Hello there, mizan!" },
    "booking.schema": {},
    "booking.validate": { starts_at: "2025-03-01T09:30:00-05:00", day_off: "2025-07-04", standup: "09:30" },
    "booking.submit": { starts_at: "2025-03-01T09:30:00-05:00", day_off: "2025-07-04", standup: "09:30" },
    "accounts.login": { ...ACCOUNT },
    "accounts.logout": {},
    "accounts.me": {},
    reserve: { seat: 1 },
    countdown: { from: 2 },
    feed: {},
    list_todos: {},
    slow_quote: {},
    failing_quote: {},
    upload: { note: "n" },
    "avatar.schema": {},
    "avatar.validate": { name: "Ada" },
    "avatar.submit": { name: "Ada" },
  };
  const levels: [MizanAuthLevel, Record<string, string>][] = [
    ["public", {}],
    ["authenticated", { authorization: `Bearer ${TOKENS.user}` }],
    ["staff", { authorization: `Bearer ${TOKENS.staff}` }],
    ["superuser", { authorization: `Bearer ${TOKENS.superuser}` }],
  ];

  it("mizanMayCall(name, level) matches what the server allows, and each kind is served as such", async () => {
    for (const name of Object.keys(mizanFunctions) as MizanFunctionName[]) {
      const { kind } = mizanFunctions[name];
      for (const [level, headers] of levels) {
        use(headers);
        let allowed: boolean;
        try {
          const meta: MizanFunctionMeta = mizanFunctions[name];
          if (meta.upload) {
            // A PNG's first bytes, declared as the first type allowed (if any).
            const type = meta.upload.mime[0] ?? "";
            const file = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])], { type });
            const args = { ...validArgs[name], [meta.upload.arg]: file };
            await getClient().upload(name, args, meta.upload.arg);
          } else if ("stream" in mizanFunctions[name]) {
            const items: unknown[] = [];
            for await (const item of getClient().stream(name, validArgs[name], { query: kind === "query" })) {
              items.push(item);
            }
            expect(items.length, name).toBeGreaterThan(0);
          } else {
            await getClient().call(name, validArgs[name], { query: kind === "query", batch: false });
          }
          allowed = true;
        } catch (e) {
          // `failing_quote` always fails once it runs: UNAVAILABLE means allowed.
          if (name === "failing_quote" && e instanceof MizanError && e.code === "UNAVAILABLE") {
            allowed = true;
          } else {
            if (!(e instanceof MizanError) || !["UNAUTHENTICATED", "FORBIDDEN"].includes(e.code)) throw e;
            allowed = false;
          }
        }
        expect({ name, level, allowed }).toEqual({ name, level, allowed: mizanMayCall(name, level) });
      }
      if (kind === "mutation") {
        const e = await rejection(getClient().call(name, validArgs[name], { query: true, batch: false }));
        expect({ name, code: e.code }).toEqual({ name, code: "METHOD_NOT_ALLOWED" });
      }
      expect(sent.every((r) => r.method === (kind === "query" ? "GET" : r.method))).toBe(true);
    }
  });

  it("the Zod input schemas accept and refuse what the server does, with the same issue codes", async () => {
    const cases: { fn: "echo" | "greet"; args: unknown }[] = [
      { fn: "greet", args: { name: "Ada" } },
      { fn: "greet", args: { name: "" } },
      { fn: "greet", args: { name: "x".repeat(40) } },
      { fn: "greet", args: { name: "x".repeat(41) } },
      { fn: "greet", args: { name: "😀".repeat(40) } },
      { fn: "greet", args: { name: "😀".repeat(41) } },
      { fn: "greet", args: { name: "e\u0301".repeat(20) } },
      { fn: "greet", args: { name: 7 } },
      { fn: "greet", args: {} },
      { fn: "greet", args: { name: "x", extra: 1 } },
      { fn: "echo", args: { text: "" } },
      { fn: "echo", args: { text: null } },
      { fn: "echo", args: { text: "x", more: "y" } },
    ];
    for (const { fn, args } of cases) {
      const schema = fn === "greet" ? GreetInputSchema : EchoInputSchema;
      const local = schema.safeParse(args);
      let server: { ok: true } | { ok: false; codes: string[]; paths: string[] };
      try {
        await (fn === "greet" ? greet(args as GreetInput) : echo(args as EchoInput));
        server = { ok: true };
      } catch (e) {
        if (!(e instanceof MizanError) || e.code !== "VALIDATION") throw e;
        server = { ok: false, codes: e.issues.map((i) => i.code), paths: e.issues.map((i) => i.path.join(".")) };
      }
      const zod = local.success
        ? { ok: true as const }
        : {
            ok: false as const,
            codes: local.error.issues.map((i) => (i.code === "unrecognized_keys" ? "unknown_key" : i.code)),
            paths: local.error.issues.map((i) => i.path.join(".")),
          };
      // Zod says `invalid_type` for a missing key where the server says `required`.
      if (!server.ok && !zod.ok && server.codes[0] === "required") {
        expect(zod.codes[0], JSON.stringify({ fn, args })).toBe("invalid_type");
        expect(zod.paths, JSON.stringify({ fn, args })).toEqual(server.paths);
        continue;
      }
      if (!server.ok && !zod.ok && server.codes[0] === "unknown_key") {
        expect(zod.codes, JSON.stringify({ fn, args })).toEqual(["unknown_key"]);
        continue;
      }
      expect({ fn, args, result: zod }).toEqual({ fn, args, result: server });
    }
  });
});
