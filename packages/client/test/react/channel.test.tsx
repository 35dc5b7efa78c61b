// useMizanChannel over a scripted fake socket: messages, send, status, and
// resubscription when the params change.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChannelSocket, type WebSocketLike } from "@mizan/client";
import { useMizanChannel } from "@mizan/client/react";
import { cleanup, render } from "./render";

class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: Record<string, unknown>[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  frame(f: unknown): void {
    this.onmessage?.({ data: JSON.stringify(f) });
  }
}

interface Line {
  text: string;
}

let send: ((data: { text: string }) => void) | undefined;

function Room({ room, socket }: { room: string; socket: ChannelSocket }) {
  const chat = useMizanChannel<Line, { text: string }>("chat", { room }, { socket, maxMessages: 2 });
  send = chat.send;
  return (
    <div>
      <p id="status">{chat.status.state}</p>
      <ul>
        {chat.messages.map((m, i) => (
          <li key={i}>{m.text}</li>
        ))}
      </ul>
    </div>
  );
}

afterEach(cleanup);

describe("useMizanChannel", () => {
  it("subscribes, collects messages, sends, and resubscribes on new params", async () => {
    const ws = new FakeSocket();
    const socket = new ChannelSocket({ url: "ws://test/ws", webSocket: () => ws, lingerMs: 10 });
    const r = render(<Room room="a" socket={socket} />);
    const text = (sel: string) => r.container.querySelector(sel)?.textContent;
    await vi.waitFor(() => expect(text("#status")).toBe("connecting"));
    ws.readyState = 1;
    ws.onopen?.({});
    await vi.waitFor(() => expect(ws.sent).toContainEqual({ t: "sub", id: 1, ch: "chat", params: { room: "a" } }));
    ws.frame({ t: "ok", id: 1 });
    await vi.waitFor(() => expect(text("#status")).toBe("live"));
    for (const t of ["one", "two", "three"]) ws.frame({ t: "msg", id: 1, data: { text: t } });
    await vi.waitFor(() => expect(text("ul")).toBe("twothree"));
    send?.({ text: "hi" });
    expect(ws.sent.at(-1)).toEqual({ t: "send", id: 1, data: { text: "hi" } });

    r.unmount();
    const r2 = render(<Room room="b" socket={socket} />);
    await vi.waitFor(() => expect(ws.sent).toContainEqual({ t: "sub", id: 2, ch: "chat", params: { room: "b" } }));
    expect(ws.sent).toContainEqual({ t: "unsub", id: 1 });
    ws.frame({ t: "msg", id: 1, data: { text: "stale" } });
    ws.frame({ t: "ok", id: 2 });
    ws.frame({ t: "msg", id: 2, data: { text: "fresh" } });
    await vi.waitFor(() => expect(r2.container.querySelector("ul")?.textContent).toBe("fresh"));
  });
});
