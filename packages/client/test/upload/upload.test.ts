// @vitest-environment jsdom
// The upload path against a real node:http server that parses the multipart
// body it gets (undici's `Response.formData`). jsdom's XMLHttpRequest is a
// real HTTP client: it sends the body over the socket and fires upload
// progress events, so `onUploadProgress` is exercised end to end.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, MizanError } from "../../src/index";

interface Seen {
  parts: Array<{ name: string; filename: string | undefined; text: string; type: string }>;
  contentType: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
let answer: (res: ServerResponse) => void = () => undefined;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader("access-control-allow-origin", req.headers.origin ?? "*");
    res.setHeader("access-control-allow-credentials", "true");
    if (req.method === "OPTIONS") {
      res.setHeader("access-control-allow-headers", req.headers["access-control-request-headers"] ?? "*");
      res.setHeader("access-control-allow-methods", "POST");
      res.end();
      return;
    }
    void readBody(req).then(async (body) => {
      const contentType = req.headers["content-type"] ?? "";
      const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
      const parts: Seen["parts"] = [];
      for (const [name, value] of form.entries()) {
        if (typeof value === "string") parts.push({ name, filename: undefined, text: value, type: "" });
        else parts.push({ name, filename: value.name, text: await value.text(), type: value.type });
      }
      seen.push({ parts, contentType });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json = (status: number, value: unknown) => (res: ServerResponse) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
};

describe("client.upload", () => {
  it("sends `args` first as JSON, then one part per file in order, and reports progress", async () => {
    answer = json(200, { data: 3 });
    seen.length = 0;
    const client = createClient({ baseUrl: base, csrf: false });
    const big = "x".repeat(200_000);
    const files = [new File(["one"], "1.txt", { type: "text/plain" }), new File([big], "2.txt"), new Blob(["three"])];
    const progress: Array<{ loaded: number; total: number | undefined }> = [];
    const out = await client.upload<number>("gallery", { title: "trip", photos: files }, "photos", {
      onUploadProgress: (p) => progress.push(p),
    });
    expect(out).toBe(3);
    const [call] = seen;
    expect(call?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(call?.parts.map((p) => p.name)).toEqual(["args", "photos", "photos", "photos"]);
    expect(JSON.parse(call?.parts[0]?.text ?? "")).toEqual({ title: "trip" });
    expect(call?.parts[0]?.type).toBe("application/json");
    expect(call?.parts.slice(1).map((p) => p.text)).toEqual(["one", big, "three"]);
    expect(call?.parts.slice(1).map((p) => p.filename)).toEqual(["1.txt", "2.txt", "blob"]);
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1];
    expect(last?.total).toBeGreaterThan(200_000);
    expect(last?.loaded).toBe(last?.total);
  });

  it("sends a single file under its argument's name", async () => {
    answer = json(200, { data: "ok" });
    seen.length = 0;
    const client = createClient({ baseUrl: base, csrf: false });
    await client.upload("avatar", { caption: "me", file: new File(["png"], "a.png", { type: "image/png" }) }, "file", {
      onUploadProgress: () => undefined,
    });
    expect(seen[0]?.parts.map((p) => [p.name, p.filename, p.type])).toEqual([
      ["args", "blob", "application/json"],
      ["file", "a.png", "image/png"],
    ]);
  });

  it.each([
    [413, "PAYLOAD_TOO_LARGE", "a file of `file` is larger than 10 bytes"],
    [415, "UNSUPPORTED_MEDIA_TYPE", "this function takes files"],
    [422, "VALIDATION", "`file`: type text/html is not allowed"],
  ])("answers %i as a MizanError with code %s", async (status, code, message) => {
    answer = json(status, { error: { code, message } });
    const client = createClient({ baseUrl: base, csrf: false });
    const err = await client
      .upload("avatar", { file: new Blob(["<p>"]) }, "file", { onUploadProgress: () => undefined })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(MizanError);
    expect((err as MizanError).code).toBe(code);
    expect((err as MizanError).status).toBe(status);
    expect((err as MizanError).message).toContain(message);
  });

  it("aborts: the promise rejects with AbortError and the answer is never read", async () => {
    let hold: (() => void) | undefined;
    answer = (res) => {
      hold = () => json(200, { data: "late" })(res);
    };
    const client = createClient({ baseUrl: base, csrf: false });
    const ctrl = new AbortController();
    const call = client.upload("avatar", { file: new Blob(["x".repeat(50_000)]) }, "file", {
      signal: ctrl.signal,
      onUploadProgress: () => undefined,
    });
    setTimeout(() => ctrl.abort(), 50);
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe("AbortError");
    hold?.();
  });
});
