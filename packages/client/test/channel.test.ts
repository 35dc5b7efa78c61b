// The channel socket manager against a scripted fake WebSocket (timers faked):
// sharing, resubscription with full-jitter backoff, liveness, errors.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  backoffDelay,
  ChannelSocket,
  MizanError,
  type ChannelSocketOptions,
  type SubscriptionStatus,
  type WebSocketLike,
} from "@mizan/client";

class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number): void {
    this.closedWith = code ?? 1000;
    this.readyState = 3;
  }
  // Server side of the script.
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(f: unknown): void {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  take(): Record<string, unknown>[] {
    return this.sent.splice(0);
  }
}

let sockets: FakeSocket[];

function manager(opts: ChannelSocketOptions = {}): ChannelSocket {
  return new ChannelSocket({
    url: "ws://test/api/mizan/ws",
    webSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    backoffBaseMs: 100,
    backoffMaxMs: 1000,
    ...opts,
  });
}

/** Lets the async onopen (token provider) run. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

function recorder() {
  const messages: unknown[] = [];
  const statuses: SubscriptionStatus[] = [];
  return { messages, statuses, onMessage: (m: unknown) => messages.push(m), onStatus: (s: SubscriptionStatus) => statuses.push(s) };
}

beforeEach(() => {
  sockets = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("ChannelSocket", () => {
  it("shares one socket between subscriptions and routes messages by id", async () => {
    const m = manager();
    const a = recorder();
    const b = recorder();
    const subA = m.subscribe("chat", { room: "a" }, a.onMessage, a.onStatus);
    const subB = m.subscribe("chat", { room: "b" }, b.onMessage, b.onStatus);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe("ws://test/api/mizan/ws");
    const ws = sockets[0]!;
    ws.open();
    await settle();
    expect(ws.take()).toEqual([
      { t: "sub", id: subA.id, ch: "chat", params: { room: "a" } },
      { t: "sub", id: subB.id, ch: "chat", params: { room: "b" } },
    ]);
    ws.frame({ t: "ok", id: subA.id });
    ws.frame({ t: "ok", id: subB.id });
    ws.frame({ t: "msg", id: subB.id, data: { text: "to b" } });
    ws.frame({ t: "msg", id: subA.id, data: { text: "to a" } });
    expect(a.messages).toEqual([{ text: "to a" }]);
    expect(b.messages).toEqual([{ text: "to b" }]);
    expect(a.statuses).toEqual([{ state: "connecting" }, { state: "live" }]);
    // A third subscription on the open socket is sent at once.
    const c = m.subscribe("ticks", undefined, () => {});
    expect(ws.take()).toEqual([{ t: "sub", id: c.id, ch: "ticks", params: {} }]);
    expect(sockets).toHaveLength(1);
  });

  it("queues sends until live, then unsubscribes and lingers before closing", async () => {
    const m = manager({ lingerMs: 500 });
    const a = recorder();
    const sub = m.subscribe("chat", { room: "a" }, a.onMessage, a.onStatus);
    sub.send({ text: "early" });
    const ws = sockets[0]!;
    ws.open();
    await settle();
    ws.take();
    ws.frame({ t: "ok", id: sub.id });
    expect(ws.take()).toEqual([{ t: "send", id: sub.id, data: { text: "early" } }]);
    sub.send({ text: "now" });
    expect(ws.take()).toEqual([{ t: "send", id: sub.id, data: { text: "now" } }]);
    sub.close();
    sub.close();
    expect(ws.take()).toEqual([{ t: "unsub", id: sub.id }]);
    expect(a.statuses.at(-1)).toEqual({ state: "closed" });
    expect(() => sub.send({ text: "late" })).toThrow(MizanError);
    expect(ws.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(500);
    expect(ws.closedWith).toBe(1000);
    expect(m.connected).toBe(false);
  });

  it("reconnects with full-jitter backoff and resubscribes every live subscription", async () => {
    const m = manager({ token: () => "tok" });
    const a = recorder();
    const b = recorder();
    const subA = m.subscribe("chat", { room: "a" }, a.onMessage, a.onStatus);
    const subB = m.subscribe("chat", { room: "b" }, b.onMessage, b.onStatus);
    let ws = sockets[0]!;
    ws.open();
    await settle();
    expect(ws.take().map((f) => f["t"])).toEqual(["auth", "sub", "sub"]);
    ws.frame({ t: "auth_ok" });
    ws.frame({ t: "ok", id: subA.id });
    ws.frame({ t: "ok", id: subB.id });

    // Three failed attempts: delays are random * min(max, base * 2^n) = 50, 100, 200 ms.
    ws.drop();
    expect(a.statuses.at(-1)).toEqual({ state: "reconnecting" });
    for (const [i, delay] of [50, 100, 200].entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sockets).toHaveLength(1 + i);
      await vi.advanceTimersByTimeAsync(1);
      expect(sockets).toHaveLength(2 + i);
      if (i < 2) sockets.at(-1)!.drop();
    }
    ws = sockets.at(-1)!;
    ws.open();
    await settle();
    expect(ws.take()).toEqual([
      { t: "auth", token: "tok" },
      { t: "sub", id: subA.id, ch: "chat", params: { room: "a" } },
      { t: "sub", id: subB.id, ch: "chat", params: { room: "b" } },
    ]);
    ws.frame({ t: "ok", id: subA.id });
    expect(a.statuses.at(-1)).toEqual({ state: "live", gap: true });
    ws.frame({ t: "msg", id: subA.id, data: 1 });
    expect(a.messages).toEqual([1]);
    // A successful connection resets the backoff.
    ws.drop();
    await vi.advanceTimersByTimeAsync(50);
    expect(sockets).toHaveLength(5);
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });

  it("pings when idle and drops a silent socket", async () => {
    const m = manager({ pingAfterMs: 1000, deadAfterMs: 400 });
    const sub = m.subscribe("chat", { room: "a" }, () => {});
    const ws = sockets[0]!;
    ws.open();
    await settle();
    ws.take();
    ws.frame({ t: "ok", id: sub.id });
    await vi.advanceTimersByTimeAsync(1100);
    expect(ws.take()).toEqual([{ t: "ping" }]);
    ws.frame({ t: "pong" });
    // Frames keep it alive, but silence on our side still pings (server idle timeout).
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(200);
      ws.frame({ t: "msg", id: sub.id, data: i });
    }
    expect(ws.take()).toEqual([{ t: "ping" }]);
    expect(ws.closedWith).toBeUndefined();
    // No answer at all: dropped and reopened.
    await vi.advanceTimersByTimeAsync(1500);
    expect(ws.closedWith).toBe(4000);
    await vi.advanceTimersByTimeAsync(50);
    expect(sockets).toHaveLength(2);
  });

  it("reports refusals, retries UNAVAILABLE, keeps live subscriptions on send errors", async () => {
    const errors: MizanError[] = [];
    const m = manager({ onError: (e) => errors.push(e) });
    const a = recorder();
    const b = recorder();
    const c = recorder();
    const subA = m.subscribe("chat", { room: "staff" }, a.onMessage, a.onStatus);
    const subB = m.subscribe("chat", { room: "x" }, b.onMessage, b.onStatus);
    const subC = m.subscribe("chat", { room: "y" }, c.onMessage, c.onStatus);
    const ws = sockets[0]!;
    ws.open();
    await settle();
    ws.take();
    ws.frame({ t: "err", id: subA.id, error: { code: "FORBIDDEN", message: "staff only" } });
    const refused = a.statuses.at(-1)!;
    expect(refused.state).toBe("closed");
    expect(refused.error).toBeInstanceOf(MizanError);
    expect([refused.error?.code, refused.error?.status]).toEqual(["FORBIDDEN", 403]);

    ws.frame({ t: "err", id: subB.id, error: { code: "UNAVAILABLE", message: "redis down" } });
    expect(b.statuses.at(-1)?.state).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(50);
    expect(ws.take()).toEqual([{ t: "sub", id: subB.id, ch: "chat", params: { room: "x" } }]);
    ws.frame({ t: "ok", id: subB.id });
    expect(b.statuses.at(-1)).toEqual({ state: "live" });

    ws.frame({ t: "ok", id: subC.id });
    ws.frame({ t: "err", id: subC.id, error: { code: "VALIDATION", message: "bad", issues: [{ path: ["text"], code: "too_small", message: "short" }] } });
    const sendError = c.statuses.at(-1)!;
    expect(sendError.state).toBe("live");
    expect(sendError.error?.fields).toEqual({ text: ["short"] });
    ws.frame({ t: "gap", id: subC.id });
    expect(c.statuses.at(-1)).toEqual({ state: "live", gap: true });
    ws.frame({ t: "closed", id: subC.id });
    expect(c.statuses.at(-1)).toEqual({ state: "closed" });

    ws.frame({ t: "err", id: null, error: { code: "BAD_REQUEST", message: "nope" } });
    expect(errors.map((e) => e.code)).toEqual(["BAD_REQUEST"]);
    ws.onmessage?.({ data: "not json" });
    expect(m.size).toBe(1);
  });

  it("does not reconnect when the origin is refused", async () => {
    const m = manager();
    const a = recorder();
    m.subscribe("chat", { room: "a" }, a.onMessage, a.onStatus);
    sockets[0]!.open();
    await settle();
    sockets[0]!.drop(1008);
    expect(a.statuses.at(-1)?.state).toBe("closed");
    expect(a.statuses.at(-1)?.error?.code).toBe("FORBIDDEN");
    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets).toHaveLength(1);
  });
});
