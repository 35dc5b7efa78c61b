/**
 * The generated channel surface of examples/hello (`subscribeChat`, `say`)
 * against the real `hello` server: two subscribers in one room, lines said
 * over HTTP and sent over the socket, statuses, and refused params and
 * messages. With `$REDIS_URL` set (scripts/test sets it) the server's rooms
 * live in Redis, so every line makes the round trip through it.
 */

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configure, configureChannels, getChannelSocket, type ChannelSocket } from "@mizan/client";
import {
  ChatMessageSchema,
  ChatParamsSchema,
  MizanError,
  mizanChannels,
  say,
  subscribeChat,
  type ChatMessage,
} from "hello-frontend/frontend/generated";
import { channelOptions, freshRoom, otherClient, Recorder } from "./chat-support";
import { baseUrl } from "./support";

let others: ChannelSocket[] = [];

beforeEach(() => {
  configure({ baseUrl });
  configureChannels(channelOptions);
});

afterEach(() => {
  getChannelSocket().close();
  for (const socket of others) socket.close();
  others = [];
});

/** A second client: its own socket to the server. */
function client(): ChannelSocket {
  const socket = otherClient();
  others.push(socket);
  return socket;
}

/** Subscribes a recorder to `room`, on `socket` or the page's shared one, and waits until live. */
async function join(room: string, socket?: ChannelSocket) {
  const rec = new Recorder<ChatMessage>();
  const sub = subscribeChat({ room }, rec.onMessage, rec.onStatus, socket ? { socket } : undefined);
  await vi.waitFor(() => expect(rec.state).toBe("live"));
  return { rec, sub };
}

describe("subscribeChat against the real server", () => {
  it("the manifest's chat channel takes client messages", () => {
    expect(mizanChannels.chat).toEqual({ name: "chat", subscribe: "subscribeChat", hook: "useChatChannel", sends: true });
  });

  it("goes connecting → live, then delivers a say() line, typed, to both subscribers of the room", async () => {
    const room = freshRoom();
    const a = await join(room);
    const b = await join(room, client());
    expect(a.rec.statuses.map((s) => s.state)).toEqual(["connecting", "live"]);
    expect(b.rec.statuses.map((s) => s.state)).toEqual(["connecting", "live"]);

    const said = await say({ room, text: "hello, room" });
    expect(said).toEqual({ user: null, text: "hello, room" });
    for (const { rec } of [a, b]) {
      await vi.waitFor(() => expect(rec.messages).toHaveLength(1));
      const line: ChatMessage = ChatMessageSchema.parse(rec.messages[0]);
      expect(line).toEqual(said);
    }
  });

  it("a line said in another room does not arrive", async () => {
    const room = freshRoom();
    const a = await join(room);
    await say({ room: freshRoom(), text: "elsewhere" });
    await say({ room, text: "here" });
    await vi.waitFor(() => expect(a.rec.messages).toEqual([{ user: null, text: "here" }]));
  });

  it("a client's send reaches the other client in the room, not itself", async () => {
    const room = freshRoom();
    const a = await join(room);
    const b = await join(room, client());
    a.sub.send({ text: "from a" });
    await vi.waitFor(() => expect(b.rec.messages).toEqual([{ user: null, text: "from a" }]));
    // A marker said after b got the line: if a were to get its own line
    // back it would have come before the marker.
    await say({ room, text: "marker" });
    await vi.waitFor(() => expect(a.rec.messages).toEqual([{ user: null, text: "marker" }]));
    await vi.waitFor(() => expect(b.rec.messages.at(-1)?.text).toBe("marker"));
  });

  it("two subscriptions on one shared socket: the sender's own subscription is skipped, not the socket", async () => {
    const room = freshRoom();
    const a = await join(room);
    const b = await join(room);
    a.sub.send({ text: "same socket" });
    await vi.waitFor(() => expect(b.rec.messages).toEqual([{ user: null, text: "same socket" }]));
    await say({ room, text: "marker" });
    await vi.waitFor(() => expect(a.rec.messages).toEqual([{ user: null, text: "marker" }]));
  });

  it("an empty room is refused: the subscription closes with a VALIDATION error on `room`", async () => {
    expect(ChatParamsSchema.safeParse({ room: "" }).success).toBe(false);
    const rec = new Recorder<ChatMessage>();
    subscribeChat({ room: "" }, rec.onMessage, rec.onStatus);
    await vi.waitFor(() => expect(rec.state).toBe("closed"));
    expect(rec.statuses.map((s) => s.state)).toEqual(["connecting", "closed"]);
    const error = rec.statuses.at(-1)?.error;
    expect(error).toBeInstanceOf(MizanError);
    expect([error?.code, error?.status]).toEqual(["VALIDATION", 422]);
    expect(error?.fields).toHaveProperty("room");
    expect(error?.issues[0]).toMatchObject({ path: ["room"], code: "too_small" });
    expect(rec.messages).toEqual([]);
  });

  it("an invalid client message is refused and the subscription stays live", async () => {
    const room = freshRoom();
    const a = await join(room);
    const b = await join(room, client());
    a.sub.send({ text: "" });
    await vi.waitFor(() => expect(a.rec.statuses.at(-1)?.error?.code).toBe("VALIDATION"));
    const refused = a.rec.statuses.at(-1);
    expect(refused?.state).toBe("live");
    expect(refused?.error?.fields).toHaveProperty("text");
    a.sub.send({ text: "still here" });
    await vi.waitFor(() => expect(b.rec.messages).toEqual([{ user: null, text: "still here" }]));
  });

  it("close() ends the subscription: no more lines", async () => {
    const room = freshRoom();
    const a = await join(room);
    const b = await join(room, client());
    a.sub.close();
    expect(a.rec.state).toBe("closed");
    await say({ room, text: "after close" });
    await vi.waitFor(() => expect(b.rec.messages).toHaveLength(1));
    expect(a.rec.messages).toEqual([]);
  });
});
