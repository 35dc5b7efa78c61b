/**
 * Realtime channels over one WebSocket per page, shared by every
 * subscription (wire protocol v1, `{prefix}/ws`).
 *
 * - The socket opens on the first subscription and closes shortly after the
 *   last one ends.
 * - When it drops it reconnects with full-jitter exponential backoff and
 *   subscribes every live subscription again (same ids); each is told
 *   `reconnecting`, then `live` again. A bearer token, if configured, is sent
 *   as the first frame of every connection.
 * - Liveness: any received frame counts. After `pingAfterMs` without one (or
 *   without sending anything, so the server's idle timeout never fires) it
 *   sends `{"t":"ping"}`; after a further `deadAfterMs` of silence it drops
 *   the socket and reconnects.
 *
 * ```ts
 * const sub = subscribe<ChatLine, ChatSend>("chat", { room: "lobby" }, (line) => show(line), (s) => setStatus(s));
 * sub.send({ text: "hi" });
 * sub.close();
 * ```
 *
 * @module
 */

import { decodeErrorObject } from "../decode.js";
import { MizanError } from "../errors.js";

/** Where a subscription stands. */
export type SubscriptionState = "connecting" | "live" | "reconnecting" | "closed";

/**
 * A subscription's status, reported on every change. `error` comes with a
 * refused subscription (`closed`), a retried one (`reconnecting`, e.g.
 * `UNAVAILABLE` while the server's channel layer is down) or a failed `send`
 * (`live`: the subscription stays). `gap` is set on a `live` status when the
 * server says messages may have been lost (its channel layer reconnected),
 * and after this client itself reconnected.
 */
export interface SubscriptionStatus {
  state: SubscriptionState;
  error?: MizanError;
  gap?: boolean;
}

/** A live subscription: send client messages on it, or close it. */
export interface ChannelSubscription<C = unknown> {
  /** The subscription id on the socket. */
  readonly id: number;
  /**
   * Sends a client message to the channel's receive handler. Sent at once
   * when live, queued (up to {@link MAX_QUEUED_SENDS}) while connecting.
   */
  send(data: C): void;
  /** Ends the subscription (idempotent). */
  close(): void;
}

/** The subset of the WebSocket API the manager uses. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Options of a {@link ChannelSocket}; all optional. */
export interface ChannelSocketOptions {
  /** Full `ws://` / `wss://` URL. Default: `{baseUrl}/ws` on the page's host. */
  url?: string;
  /** The API prefix (default `/api/mizan`), or an absolute `http(s)://` URL. */
  baseUrl?: string;
  /** A bearer token sent as the first frame of each connection (cookies need none). */
  token?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Opens a socket; default `new WebSocket(url)`. */
  webSocket?: (url: string) => WebSocketLike;
  /** Silence (received or sent) after which a ping is sent (default 25 s). */
  pingAfterMs?: number;
  /** Further silence after which the socket is dropped and reopened (default 10 s). */
  deadAfterMs?: number;
  /** First reconnect delay ceiling (default 250 ms), doubled per failed attempt. */
  backoffBaseMs?: number;
  /** Largest reconnect delay ceiling (default 15 s). */
  backoffMaxMs?: number;
  /** How long the socket stays open with no subscription (default 1 s). */
  lingerMs?: number;
  /** Random source in [0, 1) for the jitter (tests pass their own). */
  random?: () => number;
  /** Socket-level errors: a refused `auth` frame, a `BAD_REQUEST` for a frame. */
  onError?: (error: MizanError) => void;
}

/** Sends queued per subscription while it is not live, at most. */
export const MAX_QUEUED_SENDS = 100;

/** Close code: origin refused; reconnecting would not help. */
const ORIGIN_REFUSED = 1008;
const OPEN = 1;

interface Sub {
  id: number;
  name: string;
  params: unknown;
  onMessage: (data: unknown) => void;
  onStatus: (status: SubscriptionStatus) => void;
  state: SubscriptionState;
  queue: string[];
  retry: ReturnType<typeof setTimeout> | undefined;
  retries: number;
  /** Subscribed again after the socket dropped: its `ok` reports a gap. */
  resubscribed: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Full jitter: a random delay up to `min(max, base * 2^attempt)`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}

function defaultUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  if (/^https?:\/\//.test(base)) return `${base.replace(/^http/, "ws")}/ws`;
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (!loc) throw new Error("mizan: no page location to derive the WebSocket URL from; pass `url`");
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}${base}/ws`;
}

function defaultWebSocket(url: string): WebSocketLike {
  const Ctor = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
  if (!Ctor) throw new Error("mizan: this runtime has no WebSocket; pass `webSocket`");
  return new Ctor(url);
}

/** One socket multiplexing every channel subscription of a page. */
export class ChannelSocket {
  private readonly opts: Required<Omit<ChannelSocketOptions, "url" | "token" | "onError">> & {
    [K in "url" | "token" | "onError"]: ChannelSocketOptions[K] | undefined;
  };
  private ws: WebSocketLike | null = null;
  private ready = false;
  private readonly subs = new Map<number, Sub>();
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private livenessTimer: ReturnType<typeof setInterval> | undefined;
  private lastReceived = 0;
  private lastSent = 0;

  constructor(options: ChannelSocketOptions = {}) {
    this.opts = {
      baseUrl: options.baseUrl ?? "/api/mizan",
      webSocket: options.webSocket ?? defaultWebSocket,
      pingAfterMs: options.pingAfterMs ?? 25_000,
      deadAfterMs: options.deadAfterMs ?? 10_000,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 15_000,
      lingerMs: options.lingerMs ?? 1_000,
      random: options.random ?? Math.random,
      url: options.url,
      token: options.token,
      onError: options.onError,
    };
  }

  /** Number of subscriptions not yet closed. */
  get size(): number {
    return this.subs.size;
  }

  /** Whether a socket is currently open. */
  get connected(): boolean {
    return this.ready;
  }

  /**
   * Subscribes to channel `name` with `params`. `onMessage` receives each
   * server message; `onStatus` every status change, starting with
   * `connecting`.
   */
  subscribe<M = unknown, C = unknown>(
    name: string,
    params: unknown,
    onMessage: (message: M) => void,
    onStatus: (status: SubscriptionStatus) => void = () => {},
  ): ChannelSubscription<C> {
    const sub: Sub = {
      id: this.nextId++,
      name,
      params: params ?? {},
      onMessage: onMessage as (data: unknown) => void,
      onStatus,
      state: "connecting",
      queue: [],
      retry: undefined,
      retries: 0,
      resubscribed: false,
    };
    this.subs.set(sub.id, sub);
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.status(sub, { state: "connecting" });
    if (this.ready) this.sendSub(sub);
    else this.ensureSocket();
    return {
      id: sub.id,
      send: (data: C) => this.sendData(sub, data),
      close: () => this.closeSub(sub),
    };
  }

  /** Closes every subscription and the socket. */
  close(): void {
    for (const sub of [...this.subs.values()]) this.closeSub(sub);
    this.dropSocket(1000, "closed by the client");
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private status(sub: Sub, status: SubscriptionStatus): void {
    try {
      sub.onStatus(status);
    } catch (e) {
      queueMicrotask(() => {
        throw e;
      });
    }
  }

  private sendFrame(frame: unknown): void {
    if (!this.ws || !this.ready) return;
    this.ws.send(JSON.stringify(frame));
    this.lastSent = Date.now();
  }

  private sendSub(sub: Sub): void {
    this.sendFrame({ t: "sub", id: sub.id, ch: sub.name, params: sub.params });
  }

  private sendData(sub: Sub, data: unknown): void {
    if (sub.state === "closed") {
      throw new MizanError({ code: "BAD_REQUEST", status: 400, message: `mizan: subscription to ${sub.name} is closed` });
    }
    const json = JSON.stringify(data);
    if (json === undefined) throw new TypeError(`mizan: message for ${sub.name} is not JSON-serializable`);
    const frame = `{"t":"send","id":${sub.id},"data":${json}}`;
    if (sub.state === "live" && this.ready && this.ws) {
      this.ws.send(frame);
      this.lastSent = Date.now();
      return;
    }
    if (sub.queue.length >= MAX_QUEUED_SENDS) {
      throw new MizanError({
        code: "RATE_LIMITED",
        status: 429,
        message: `mizan: more than ${MAX_QUEUED_SENDS} messages queued for ${sub.name} while it is not live`,
      });
    }
    sub.queue.push(frame);
  }

  private closeSub(sub: Sub): void {
    if (!this.subs.has(sub.id)) return;
    this.subs.delete(sub.id);
    clearTimeout(sub.retry);
    if (sub.state === "live" || sub.state === "connecting") this.sendFrame({ t: "unsub", id: sub.id });
    sub.state = "closed";
    sub.queue = [];
    this.status(sub, { state: "closed" });
    this.maybeLinger();
  }

  private maybeLinger(): void {
    if (this.subs.size > 0 || this.lingerTimer !== undefined) return;
    if (!this.ws && this.reconnectTimer !== undefined) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      return;
    }
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      if (this.subs.size === 0) this.dropSocket(1000, "no subscriptions");
    }, this.opts.lingerMs);
  }

  private ensureSocket(): void {
    if (this.ws || this.reconnectTimer !== undefined) return;
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    if (this.subs.size === 0) return;
    let ws: WebSocketLike;
    try {
      ws = this.opts.webSocket(this.opts.url ?? defaultUrl(this.opts.baseUrl));
    } catch (e) {
      const error = new MizanError({ code: "NETWORK", status: 0, message: `mizan: cannot open the channel socket: ${String(e)}`, cause: e });
      this.opts.onError?.(error);
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => void this.onOpen(ws);
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastReceived = Date.now();
      this.attempt = 0;
      if (typeof ev.data === "string") this.onFrame(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.onSocketLost(ev.code);
    };
    ws.onerror = () => {};
  }

  private async onOpen(ws: WebSocketLike): Promise<void> {
    let token: string | null | undefined;
    try {
      token = this.opts.token ? await this.opts.token() : undefined;
    } catch (e) {
      this.opts.onError?.(new MizanError({ code: "UNAUTHENTICATED", status: 401, message: `mizan: the token provider failed: ${String(e)}`, cause: e }));
    }
    if (this.ws !== ws || ws.readyState !== OPEN) return;
    this.ready = true;
    this.lastReceived = this.lastSent = Date.now();
    if (token) this.sendFrame({ t: "auth", token });
    for (const sub of this.subs.values()) {
      if (sub.retry === undefined) this.sendSub(sub);
    }
    this.startLiveness();
    if (this.subs.size === 0) this.maybeLinger();
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(frame)) return;
    const { id: rawId, t, data, error } = frame;
    const id = typeof rawId === "number" ? rawId : null;
    const sub = id === null ? undefined : this.subs.get(id);
    switch (t) {
      case "msg":
        if (sub && sub.state !== "closed") {
          try {
            sub.onMessage(data);
          } catch (e) {
            queueMicrotask(() => {
              throw e;
            });
          }
        }
        return;
      case "ok":
        if (!sub) return;
        sub.state = "live";
        sub.retries = 0;
        this.status(sub, sub.resubscribed ? { state: "live", gap: true } : { state: "live" });
        sub.resubscribed = false;
        for (const queued of sub.queue.splice(0)) {
          this.ws?.send(queued);
          this.lastSent = Date.now();
        }
        return;
      case "gap":
        if (sub && sub.state === "live") this.status(sub, { state: "live", gap: true });
        return;
      case "closed":
        if (!sub) return;
        this.subs.delete(sub.id);
        sub.state = "closed";
        this.status(sub, error === undefined ? { state: "closed" } : { state: "closed", error: this.error(error) });
        this.maybeLinger();
        return;
      case "err":
        this.onErr(sub, id, this.error(error));
        return;
      default:
        return; // pong, auth_ok, and frames of newer servers
    }
  }

  private error(raw: unknown): MizanError {
    return (
      decodeErrorObject(raw, undefined) ??
      new MizanError({ code: "BAD_RESPONSE", status: 0, message: "mizan: an error frame without a valid error object" })
    );
  }

  private onErr(sub: Sub | undefined, id: number | null, error: MizanError): void {
    if (id === null) {
      this.opts.onError?.(error);
      return;
    }
    if (!sub) return;
    if (sub.state === "live") {
      // A failed `send`: the subscription stays live.
      this.status(sub, { state: "live", error });
      return;
    }
    if (error.code === "UNAVAILABLE" || error.code === "TIMEOUT") {
      // The server's channel layer is down: try this subscription again later.
      sub.state = "reconnecting";
      this.status(sub, { state: "reconnecting", error });
      const delay = backoffDelay(sub.retries++, this.opts.backoffBaseMs, this.opts.backoffMaxMs, this.opts.random);
      sub.retry = setTimeout(() => {
        sub.retry = undefined;
        if (this.subs.get(sub.id) === sub && this.ready) this.sendSub(sub);
      }, delay);
      return;
    }
    this.subs.delete(sub.id);
    sub.state = "closed";
    sub.queue = [];
    this.status(sub, { state: "closed", error });
    this.maybeLinger();
  }

  private onSocketLost(code: number): void {
    this.detach();
    if (code === ORIGIN_REFUSED) {
      const error = new MizanError({ code: "FORBIDDEN", status: 403, message: "mizan: the server refused this page's origin for WebSockets" });
      for (const sub of [...this.subs.values()]) {
        this.subs.delete(sub.id);
        sub.state = "closed";
        this.status(sub, { state: "closed", error });
      }
      return;
    }
    if (this.subs.size === 0) return;
    for (const sub of this.subs.values()) {
      clearTimeout(sub.retry);
      sub.retry = undefined;
      sub.resubscribed ||= sub.state === "live";
      sub.state = "reconnecting";
      this.status(sub, { state: "reconnecting" });
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined || this.subs.size === 0) return;
    const delay = backoffDelay(this.attempt++, this.opts.backoffBaseMs, this.opts.backoffMaxMs, this.opts.random);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private detach(): void {
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    clearInterval(this.livenessTimer);
    this.livenessTimer = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    }
  }

  private dropSocket(code: number, reason: string): void {
    const ws = this.ws;
    this.detach();
    try {
      ws?.close(code, reason);
    } catch {
      // already closed
    }
  }

  private startLiveness(): void {
    clearInterval(this.livenessTimer);
    const { pingAfterMs, deadAfterMs } = this.opts;
    const every = Math.max(50, Math.min(pingAfterMs, deadAfterMs) / 4);
    this.livenessTimer = setInterval(() => {
      const now = Date.now();
      if (now - this.lastReceived >= pingAfterMs + deadAfterMs) {
        // Silent for too long: the connection is dead even if no close came.
        this.dropSocket(4000, "no answer to ping");
        this.onSocketLost(4000);
        return;
      }
      if (now - this.lastSent >= pingAfterMs || (now - this.lastReceived >= pingAfterMs && now - this.lastSent >= deadAfterMs / 2)) {
        this.sendFrame({ t: "ping" });
      }
    }, every);
  }
}

let pageSocket: ChannelSocket | undefined;

/** The page's shared socket, made on first use with default options. */
export function getChannelSocket(): ChannelSocket {
  pageSocket ??= new ChannelSocket();
  return pageSocket;
}

/**
 * Replaces the page's shared socket with one made from `options` (the old
 * one is closed). Call it once at start-up, e.g. to set a token provider.
 */
export function configureChannels(options: ChannelSocketOptions): ChannelSocket {
  pageSocket?.close();
  pageSocket = new ChannelSocket(options);
  return pageSocket;
}

/** Subscribes through the page's shared socket (see {@link ChannelSocket.subscribe}). */
export function subscribe<M = unknown, C = unknown>(
  name: string,
  params: unknown,
  onMessage: (message: M) => void,
  onStatus?: (status: SubscriptionStatus) => void,
): ChannelSubscription<C> {
  return getChannelSocket().subscribe<M, C>(name, params, onMessage, onStatus);
}
