// Mixed load against a running `hello`, for the soak run (bench/soak/run.sh):
// calls (POST and GET), batches, server-rendered pages, WebSocket sockets
// that stay subscribed and send, sockets that come and go, and logins (most
// right, some with a wrong password). Runs under Bun (fetch and WebSocket).
//
//   bun bench/soak/load.ts BASE_URL SECONDS USERNAME PASSWORD > counts.json
//
// Prints a progress line to stderr every 30 s and, at the end, the counts per
// kind of request (ok / failed) as JSON on stdout.

const [base, secondsArg, username, password] = process.argv.slice(2);
if (!base || !secondsArg || !username || !password) {
  console.error("usage: bun bench/soak/load.ts BASE_URL SECONDS USERNAME PASSWORD");
  process.exit(2);
}
const api = `${base}/api/mizan`;
const wsUrl = `${api.replace(/^http/, "ws")}/ws`;
const endAt = Date.now() + Number(secondsArg) * 1000;
const running = () => Date.now() < endAt;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];

type Count = { ok: number; failed: number; codes: Record<string, number> };
const counts: Record<string, Count> = {};
function note(kind: string, ok: boolean, code = ok ? "ok" : "failed") {
  const c = (counts[kind] ??= { ok: 0, failed: 0, codes: {} });
  if (ok) c.ok++;
  else c.failed++;
  c.codes[code] = (c.codes[code] ?? 0) + 1;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${api}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/// One HTTP client: calls, batches and pages, one after another.
async function httpClient() {
  const text = () => "soak ".repeat(1 + Math.floor(Math.random() * 40));
  const kinds: [string, () => Promise<Response>][] = [
    ["call echo", () => post("call/echo", { text: text() })],
    [
      "call greet (GET)",
      () => fetch(`${api}/call/greet?input=${encodeURIComponent(JSON.stringify({ name: "Soak" }))}`),
    ],
    ["call whoami (token)", () => post("call/whoami", {}, { authorization: "Bearer hello-user-token" })],
    ["call echo (invalid)", () => post("call/echo", { text: 42 })],
    [
      "batch of 10",
      () =>
        post(
          "batch",
          Array.from({ length: 10 }, (_, i) =>
            i % 2 ? { fn: "echo", args: { text: text() } } : { fn: "greet", args: { name: `n${i}` } },
          ),
        ),
    ],
    ["say", () => post("call/say", { room: pick(rooms), text: "from a call" })],
    ["page /hello/", () => fetch(`${base}/hello/?name=${Math.floor(Math.random() * 1000)}`)],
    ["page /contexts/", () => fetch(`${base}/contexts/?name=Soak`)],
    ["page /contact/", () => fetch(`${base}/contact/`)],
  ];
  while (running()) {
    const [kind, go] = pick(kinds);
    try {
      const res = await go();
      await res.arrayBuffer();
      const expectFail = kind === "call echo (invalid)";
      note(kind, expectFail ? res.status === 422 : res.ok, String(res.status));
    } catch (e) {
      note(kind, false, String(e));
    }
  }
}

/// Logins: mostly right (then `accounts.me` and a logout), a quarter wrong.
async function loginClient() {
  while (running()) {
    const wrong = Math.random() < 0.25;
    try {
      const res = await post(
        "call/accounts.login",
        { username, password: wrong ? "not the password" : password },
        { origin: base },
      );
      await res.arrayBuffer();
      if (wrong) {
        note("login (wrong password)", res.status === 401 || res.status === 403, String(res.status));
      } else {
        note("login", res.ok, String(res.status));
        const cookie = res.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; ");
        const me = await post("call/accounts.me", {}, { origin: base, cookie });
        await me.arrayBuffer();
        note("accounts.me", me.ok, String(me.status));
        const out = await post("call/accounts.logout", {}, { origin: base, cookie });
        await out.arrayBuffer();
        note("logout", out.ok, String(out.status));
      }
    } catch (e) {
      note("login", false, String(e));
    }
    await sleep(200);
  }
}

const rooms = Array.from({ length: 10 }, (_, i) => `room${i}`);

/// A socket subscribed to a room for `lifeMs`, sending every `everyMs`.
function socket(lifeMs: number, everyMs: number): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl);
    let timer: ReturnType<typeof setInterval> | undefined;
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const done = (ok: boolean, why: string) => {
      clearInterval(timer);
      clearTimeout(closeTimer);
      note("socket", ok, why);
      resolve();
    };
    ws.onopen = () => {
      ws.send(JSON.stringify({ t: "sub", id: 1, ch: "chat", params: { room: pick(rooms) } }));
    };
    ws.onmessage = (ev) => {
      const f = JSON.parse(String(ev.data));
      if (f.t === "ok") {
        timer = setInterval(() => {
          ws.send(JSON.stringify({ t: "send", id: 1, data: { text: "from a socket" } }));
          note("socket send", true);
        }, everyMs);
        closeTimer = setTimeout(() => ws.close(1000), lifeMs);
      } else if (f.t === "msg") {
        note("socket msg", true);
      } else if (f.t === "err") {
        note("socket err frame", false, f.error?.code ?? "?");
      }
    };
    ws.onclose = (ev) => done(ev.code === 1000, String(ev.code));
    ws.onerror = () => {};
  });
}

/// Sockets that live long (the whole run, renewed) and short ones that churn.
async function socketClient(lifeMs: number, everyMs: number) {
  while (running()) {
    await socket(Math.min(lifeMs, Math.max(endAt - Date.now(), 100)), everyMs);
  }
}

const started = Date.now();
const progress = setInterval(() => {
  const total = Object.values(counts).reduce((n, c) => n + c.ok + c.failed, 0);
  console.error(`load: ${Math.round((Date.now() - started) / 1000)} s, ${total} operations`);
}, 30_000);

await Promise.all([
  ...Array.from({ length: 8 }, httpClient),
  ...Array.from({ length: 2 }, loginClient),
  ...Array.from({ length: 40 }, () => socketClient(120_000, 1000)),
  ...Array.from({ length: 4 }, () => socketClient(2_000, 250)),
]);
clearInterval(progress);
console.log(JSON.stringify(counts, null, 2));
