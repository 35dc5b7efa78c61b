// @vitest-environment jsdom
/**
 * The generated hooks in React (jsdom) against the real `hello` server: the
 * example's own `EchoBox` component (useEcho + GreetProvider/useGreet) inside
 * `MizanProvider`, and a query hook's auth error.
 */

import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient } from "@mizan/client";
import { createQueryClient, MizanProvider } from "@mizan/client/react";
import EchoBox from "hello-frontend/frontend/components/EchoBox";
import { useEcho, useStats } from "hello-frontend/frontend/generated/react";
import { cleanup, render } from "../react/render";
import { baseUrl, bearer, recordingFetch } from "./support";

afterEach(() => cleanup());

function mount(ui: ReactNode, headers: Record<string, string> = {}) {
  const rec = recordingFetch();
  const client = createClient({ baseUrl, fetch: rec.fetch, headers });
  const r = render(
    <MizanProvider client={client} queryClient={createQueryClient()}>
      {ui}
    </MizanProvider>,
  );
  return { ...r, sent: rec.sent };
}

/** Sets a controlled input's value the way a user edit does, so React sees the change. */
function typeInto(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

const byTestId = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe("EchoBox (examples/hello) against the real server", () => {
  it("echoes the submitted text through useEcho and greets through useGreet", async () => {
    const { container, sent } = mount(<EchoBox />);
    const input = await vi.waitFor(() => {
      const el = container.querySelector<HTMLInputElement>('input[name="text"]');
      expect(el).not.toBeNull();
      return el as HTMLInputElement;
    });
    typeInto(input, "Ada");
    await vi.waitFor(() => expect(byTestId(container, "greeting")?.textContent).toBe("Hello, Ada!"));

    container.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await vi.waitFor(() => expect(byTestId(container, "echo-message")?.textContent).toBe("Ada"));
    expect(byTestId(container, "echo-error")).toBeNull();
    expect(sent.some((r) => r.method === "GET" && r.path.startsWith("call/greet?input="))).toBe(true);
    expect(sent.some((r) => r.method === "POST" && r.path === "call/echo")).toBe(true);
  });

  it("shows the server's field error for a name past 40 code points", async () => {
    const { container } = mount(<EchoBox initialText={"x".repeat(41)} />);
    await vi.waitFor(() => {
      const err = byTestId(container, "greet-error");
      expect(err?.dataset["code"]).toBe("VALIDATION");
      expect(err?.textContent).not.toBe("");
    });
    expect(byTestId(container, "greeting")).toBeNull();
  });
});

describe("generated hooks", () => {
  it("useEcho exposes the MizanError's field errors of a rejected mutation", async () => {
    let result: ReturnType<typeof useEcho> | undefined;
    function Probe() {
      result = useEcho();
      return <p>{result.status}</p>;
    }
    const { container } = mount(<Probe />);
    await vi.waitFor(() => expect(container.textContent).toBe("idle"));
    // A wrong type, past the generated types, as a buggy caller might send.
    result?.mutate({ text: 5 } as unknown as { text: string });
    await vi.waitFor(() => expect(container.textContent).toBe("error"));
    expect(result?.error?.code).toBe("VALIDATION");
    expect(result?.error?.status).toBe(422);
    expect(result?.error?.fields).toHaveProperty("text");
    expect(result?.error?.issues[0]?.code).toBe("invalid_type");
  });

  it("useStats: FORBIDDEN for a user, data for staff", async () => {
    function Stats() {
      const q = useStats();
      return <p>{q.isSuccess ? `functions=${q.data.functions}` : q.isError ? q.error.code : "loading"}</p>;
    }
    const user = mount(<Stats />, bearer("user"));
    await vi.waitFor(() => expect(user.container.textContent).toBe("FORBIDDEN"));
    user.unmount();
    const staff = mount(<Stats />, bearer("staff"));
    await vi.waitFor(() => expect(staff.container.textContent).toBe("functions=4"));
  });
});
