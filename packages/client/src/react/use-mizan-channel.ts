/**
 * {@link useMizanChannel}: a channel subscription as React state.
 *
 * @module
 */

import { useCallback, useEffect, useRef, useState } from "react";

import { getChannelSocket, type ChannelSocket, type ChannelSubscription, type SubscriptionStatus } from "../channel/socket.js";
import { MizanError } from "../errors.js";

/** Options of {@link useMizanChannel}. */
export interface ChannelHookOptions<M> {
  /** `false` keeps the hook unsubscribed (default `true`). */
  enabled?: boolean;
  /** Messages kept in `messages`, oldest dropped first (default 100; 0 keeps none). */
  maxMessages?: number;
  /** Called with every message as it arrives (also when `maxMessages` is 0). */
  onMessage?: (message: M) => void;
  /** The socket to use (default: the page's shared one). */
  socket?: ChannelSocket;
}

/** What {@link useMizanChannel} returns. */
export interface ChannelHookResult<M, C> {
  /** The latest messages, oldest first; cleared when the params change. */
  messages: M[];
  /** Sends a client message on the subscription. */
  send: (data: C) => void;
  /** The subscription's status (`connecting`, `live`, `reconnecting`, `closed`). */
  status: SubscriptionStatus;
}

/**
 * Subscribes to channel `name` with `params` for as long as the component is
 * mounted (and again when `name` or the params' JSON change), on the page's
 * one shared socket.
 *
 * ```tsx
 * const { messages, send, status } = useMizanChannel<ChatLine, ChatSend>("chat", { room });
 * ```
 */
export function useMizanChannel<M = unknown, C = unknown>(
  name: string,
  params: unknown,
  options: ChannelHookOptions<M> = {},
): ChannelHookResult<M, C> {
  const { enabled = true, maxMessages = 100, socket } = options;
  const key = JSON.stringify(params ?? {});
  const [messages, setMessages] = useState<M[]>([]);
  const [status, setStatus] = useState<SubscriptionStatus>({ state: enabled ? "connecting" : "closed" });
  const subRef = useRef<ChannelSubscription<C> | null>(null);
  const onMessageRef = useRef(options.onMessage);
  onMessageRef.current = options.onMessage;

  useEffect(() => {
    setMessages([]);
    if (!enabled) {
      setStatus({ state: "closed" });
      return;
    }
    let active = true;
    const sub = (socket ?? getChannelSocket()).subscribe<M, C>(
      name,
      JSON.parse(key) as unknown,
      (message) => {
        if (!active) return;
        onMessageRef.current?.(message);
        if (maxMessages <= 0) return;
        setMessages((prev) => {
          const next = prev.length >= maxMessages ? prev.slice(prev.length - maxMessages + 1) : prev.slice();
          next.push(message);
          return next;
        });
      },
      (s) => {
        if (active) setStatus(s);
      },
    );
    subRef.current = sub;
    return () => {
      active = false;
      subRef.current = null;
      sub.close();
    };
  }, [name, key, enabled, maxMessages, socket]);

  const send = useCallback(
    (data: C) => {
      const sub = subRef.current;
      if (!sub) {
        throw new MizanError({ code: "BAD_REQUEST", status: 400, message: `mizan: not subscribed to ${name}` });
      }
      sub.send(data);
    },
    [name],
  );

  return { messages, send, status };
}
