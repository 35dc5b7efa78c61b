// @vitest-environment jsdom
/**
 * The generated `useChatChannel` hook in React (jsdom) against the real
 * `hello` server, through the example's `ChatRoom` component: two rooms on
 * the page's one shared socket, a line said through `useSay` reaching both,
 * a line sent on the socket reaching the other one only, and refused params
 * surfacing in the status.
 *
 * As in a browser: the page is at the server's origin (`jsdom.reconfigure`),
 * the socket URL comes from the page's location and the default prefix, and
 * the WebSocket sends the page's `Origin` (`pageWebSocket`), so the server's
 * Origin check is part of the test.
 */

import { useState, type ReactNode } from "react";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { configureChannels, createClient, getChannelSocket } from "@mizan/client";
import { createQueryClient, MizanProvider } from "@mizan/client/react";
import ChatRoom from "hello-frontend/frontend/components/ChatRoom";
import { say, subscribeChat, type ChatMessage } from "hello-frontend/frontend/generated";
import { useChatChannel } from "hello-frontend/frontend/generated/react";
import { cleanup, render } from "../react/render";
import { freshRoom, pageWebSocket, Recorder } from "./chat-support";
import { baseUrl, origin } from "./support";

/** Vitest's JSDOM instance (the jsdom environment sets `globalThis.jsdom`). */
const dom = (globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } }).jsdom;

beforeAll(() => {
  dom.reconfigure({ url: `${origin}/chat/` });
});

beforeEach(() => {
  configureChannels({ webSocket: pageWebSocket, lingerMs: 0 });
});

afterEach(() => {
  cleanup();
  getChannelSocket().close();
});

function mount(ui: ReactNode) {
  return render(
    <MizanProvider client={createClient({ baseUrl })} queryClient={createQueryClient()}>
      {ui}
    </MizanProvider>,
  );
}

/** Sets a controlled input's value the way a user edit does, so React sees the change. */
function typeInto(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

/** The `index`th ChatRoom in `container`, once rendered. */
async function room(container: HTMLElement, index: number) {
  const el = await vi.waitFor(() => {
    const found = container.querySelectorAll<HTMLElement>('[data-testid="chat-room"]')[index];
    if (!found) throw new Error(`no chat room #${index}`);
    return found;
  });
  return {
    status: () => el.dataset["status"],
    lines: () => [...el.querySelectorAll('[data-testid="chat-line"]')].map((li) => li.textContent),
    say: async (text: string) => {
      const input = el.querySelector<HTMLInputElement>('input[name="text"]');
      const button = el.querySelector<HTMLButtonElement>('button[type="submit"]');
      if (!input || !button) throw new Error("no chat form");
      typeInto(input, text);
      await vi.waitFor(() => expect(input.value).toBe(text));
      button.click();
    },
  };
}

describe("ChatRoom (examples/hello) on useChatChannel against the real server", () => {
  it("goes live, and a line said through useSay reaches both rooms on the page", async () => {
    const name = freshRoom();
    const { container } = mount(
      <>
        <ChatRoom room={name} />
        <ChatRoom room={name} via="socket" />
      </>,
    );
    const [a, b] = [await room(container, 0), await room(container, 1)];
    await vi.waitFor(() => expect([a.status(), b.status()]).toEqual(["live", "live"]));

    await a.say("hello from the hook");
    await vi.waitFor(() => expect(a.lines()).toEqual(["hello from the hook"]));
    await vi.waitFor(() => expect(b.lines()).toEqual(["hello from the hook"]));
  });

  it("a line sent on the socket (send) reaches the other room, not its sender", async () => {
    const name = freshRoom();
    const { container } = mount(
      <>
        <ChatRoom room={name} />
        <ChatRoom room={name} via="socket" />
      </>,
    );
    const [a, b] = [await room(container, 0), await room(container, 1)];
    await vi.waitFor(() => expect([a.status(), b.status()]).toEqual(["live", "live"]));

    await b.say("psst");
    await vi.waitFor(() => expect(a.lines()).toEqual(["psst"]));
    await a.say("marker");
    await vi.waitFor(() => expect(b.lines()).toEqual(["marker"]));
  });

  it("an empty room: status closed with the server's VALIDATION error", async () => {
    const { container } = mount(<ChatRoom room="" />);
    await vi.waitFor(() => {
      const err = container.querySelector<HTMLElement>('[data-testid="chat-error"]');
      expect(err?.dataset["code"]).toBe("VALIDATION");
    });
    expect((await room(container, 0)).status()).toBe("closed");
  });

  it("a page on another origin is refused (close 1008): the subscription closes with FORBIDDEN", async () => {
    dom.reconfigure({ url: "http://evil.example/" });
    try {
      configureChannels({ url: `${origin.replace(/^http/, "ws")}/api/mizan/ws`, webSocket: pageWebSocket, lingerMs: 0 });
      const rec = new Recorder<ChatMessage>();
      subscribeChat({ room: freshRoom() }, rec.onMessage, rec.onStatus);
      await vi.waitFor(() => expect(rec.state).toBe("closed"));
      expect(rec.statuses.at(-1)?.error?.code).toBe("FORBIDDEN");
    } finally {
      dom.reconfigure({ url: `${origin}/chat/` });
    }
  });

  it("useChatChannel({ room }) resubscribes when the room changes, clearing messages", async () => {
    let result: ReturnType<typeof useChatChannel> | undefined;
    let switchRoom: ((name: string) => void) | undefined;
    function Probe({ initial }: { initial: string }) {
      const [name, setName] = useState(initial);
      switchRoom = setName;
      result = useChatChannel({ room: name });
      return <p>{`${result.status.state}:${result.messages.map((m) => m.text).join(",")}`}</p>;
    }
    const [first, second] = [freshRoom(), freshRoom()];
    const { container } = mount(<Probe initial={first} />);
    await vi.waitFor(() => expect(container.textContent).toBe("live:"));
    await say({ room: first, text: "one" });
    await vi.waitFor(() => expect(container.textContent).toBe("live:one"));

    switchRoom?.(second);
    await vi.waitFor(() => expect(container.textContent).toBe("live:"));
    await say({ room: first, text: "not here" });
    await say({ room: second, text: "two" });
    await vi.waitFor(() => expect(container.textContent).toBe("live:two"));
    expect(result?.messages).toEqual([{ user: null, text: "two" }]);
  });
});
