/**
 * Channel helpers of the integration tests: a WebSocket for Node (undici's;
 * Node 20 has no global one), sockets pointed at the `hello` server, and a
 * recorder of one subscription's messages and statuses.
 */

import { randomUUID } from "node:crypto";
import { WebSocket as UndiciWebSocket } from "undici";
import { ChannelSocket, type ChannelSocketOptions, type SubscriptionStatus, type WebSocketLike } from "@mizan/client";
import { baseUrl } from "./support";

/**
 * Opens undici's WebSocket, as a Node client would. It sends no `Origin`
 * (not a browser), which the server accepts.
 */
export function nodeWebSocket(url: string): WebSocketLike {
  return new UndiciWebSocket(url) as unknown as WebSocketLike;
}

/**
 * A WebSocket for tests under vitest's jsdom environment that behaves like a
 * browser's: it sends the page's `Origin`. It is undici's with one shim:
 * there undici builds its events on jsdom's global `Event`, which Node's
 * `EventTarget` (undici's base class) refuses to dispatch ("must be an
 * instance of Event"), so events go straight to the `on…` handlers the
 * runtime sets. jsdom's own WebSocket wraps undici's and fails the same way.
 */
export function pageWebSocket(url: string): WebSocketLike {
  const ws = new UndiciWebSocket(url, { headers: { origin: globalThis.location.origin } });
  const handlers = ws as unknown as Record<string, ((event: unknown) => void) | null | undefined>;
  Object.defineProperty(ws, "dispatchEvent", {
    value: (event: { type: string }): boolean => {
      handlers[`on${event.type}`]?.(event);
      return true;
    },
  });
  return ws as unknown as WebSocketLike;
}

/** Options for a channel socket on the running server. */
export const channelOptions: ChannelSocketOptions = { baseUrl, webSocket: nodeWebSocket, lingerMs: 0 };

/** A separate socket: another client of the same server. */
export function otherClient(): ChannelSocket {
  return new ChannelSocket(channelOptions);
}

/** A room no other test (nor an earlier run, through Redis) uses. */
export function freshRoom(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

/** Everything one subscription reported. */
export class Recorder<M> {
  readonly messages: M[] = [];
  readonly statuses: SubscriptionStatus[] = [];
  readonly onMessage = (message: M): void => {
    this.messages.push(message);
  };
  readonly onStatus = (status: SubscriptionStatus): void => {
    this.statuses.push(status);
  };

  get state(): SubscriptionStatus["state"] | undefined {
    return this.statuses.at(-1)?.state;
  }
}
