// @vitest-environment jsdom
/**
 * The example's `ContactPage` (useContactForm) in jsdom against the real
 * `hello` server: a Zod error stays in the browser, the server-only rule
 * comes back on `message`, and a valid message shows the receipt.
 */

import { afterEach, describe, expect, it, vi } from "vitest";
import { configure } from "@mizan/client";
import ContactPage from "hello-frontend/frontend/components/ContactPage";
import { cleanup, render } from "../react/render";
import { baseUrl, recordingFetch } from "./support";

afterEach(() => cleanup());

function fill(container: HTMLElement, name: string, value: string): void {
  const el = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

const errorFor = (container: HTMLElement, name: string) =>
  container.querySelector(`[data-error-for="${name}"]`)?.textContent ?? null;

describe("ContactPage (examples/hello) against the real server", () => {
  it("shows the Zod error, then the server's field error, then the receipt", async () => {
    const rec = recordingFetch();
    configure({ baseUrl, fetch: rec.fetch });
    const { container } = render(<ContactPage />);
    await vi.waitFor(() => expect(container.querySelector("h1")?.textContent).toBe("Contact us"));
    const send = () => container.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();

    fill(container, "name", "Ada");
    fill(container, "email", "ada-at-example.com");
    fill(container, "message", "Hello there, mizan!");
    send();
    await vi.waitFor(() => expect(errorFor(container, "email")).not.toBeNull());
    expect(rec.sent).toHaveLength(0);

    fill(container, "email", "ada@example.com");
    fill(container, "message", "Anything about spam?");
    send();
    await vi.waitFor(() => expect(errorFor(container, "message")).toBe("Messages about spam are not accepted."));
    expect(errorFor(container, "email")).toBeNull();
    expect(rec.sent.map((r) => r.path)).toEqual(["call/contact.submit"]);

    fill(container, "message", "Hello there, mizan!");
    send();
    await vi.waitFor(() =>
      expect(container.querySelector("#contact-sent")?.textContent).toBe("Thanks, Ada! We will answer ada@example.com."),
    );
    expect(errorFor(container, "message")).toBeNull();
    // resetOnSuccess: the fields are empty again.
    expect(container.querySelector<HTMLInputElement>('[name="name"]')?.value).toBe("");
  });
});
