// useMizanForm in jsdom against the wire-protocol stand-in: Zod errors stay
// on the client, server field errors land on their fields (whole-form ones
// on root.server), success exposes the output.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { getClient, setClient, createClient, type CallOptions, type FieldErrors, type FormMeta } from "@mizan/client";
import { useMizanForm, type MizanFormOptions, type MizanFormResult } from "@mizan/client/react";
import { startServer, WireError, type TestServer } from "../support/server";
import { cleanup, render } from "./render";

// ---- What generated code looks like (kept in the shape codegen emits) ----

interface ContactFormValues {
  email: string;
  message: string;
  phone?: string | undefined;
  age?: number | undefined;
}
interface Receipt {
  number: number;
}
const ContactSubmitInputSchema: z.ZodType<ContactFormValues> = z.strictObject({
  email: z.email(),
  message: z.string().min(3),
  phone: z.string().min(5).optional(),
  age: z.number().int().gte(18).optional(),
});
function contactSchema(args: Record<string, never> = {}, opts?: CallOptions): Promise<FormMeta> {
  return getClient().call<FormMeta>("contact.schema", args, { ...opts, query: true });
}
function contactValidate(args: ContactFormValues, opts?: CallOptions): Promise<FieldErrors> {
  return getClient().call<FieldErrors>("contact.validate", args, { ...opts, query: false });
}
function contactSubmit(args: ContactFormValues, opts?: CallOptions): Promise<Receipt> {
  return getClient().call<Receipt>("contact.submit", args, { ...opts, query: false });
}
const contact = {
  name: "contact",
  title: "Contact us",
  doc: null,
  fields: [
    {
      name: "email",
      label: "Email",
      widget: "email",
      required: true,
      choices: null,
      initial: null,
      help_text: null,
      constraints: { format: "email" },
    },
    {
      name: "message",
      label: "Message",
      widget: "textarea",
      required: true,
      choices: null,
      initial: "Hello!",
      help_text: null,
      constraints: { minLength: 3 },
    },
    {
      name: "phone",
      label: "Phone",
      widget: "text",
      required: false,
      choices: null,
      initial: null,
      help_text: null,
      constraints: { minLength: 5 },
    },
    {
      name: "age",
      label: "Age",
      widget: "number",
      required: false,
      choices: null,
      initial: null,
      help_text: null,
      constraints: { minimum: 18 },
    },
  ],
  values: ContactSubmitInputSchema,
  schema: contactSchema,
  validate: contactValidate,
  submit: contactSubmit,
} as const;
function useContactForm(
  options?: MizanFormOptions<ContactFormValues, Receipt>,
): MizanFormResult<ContactFormValues, Receipt> {
  return useMizanForm(contact, options);
}

// ---- Server ----

let server: TestServer;
let submitted: unknown[] = [];
const calls = (name: string) =>
  server.requests.filter((r) => r.path.endsWith(`/call/${name}`) || r.body.includes(`"fn":"${name}"`)).length;

function serverRules(args: Record<string, unknown>): FieldErrors {
  const fields: FieldErrors = {};
  if (String(args["message"]).includes("spam")) fields["message"] = ["no spam, please"];
  if (args["email"] === "mallory@example.com") fields[""] = ["not from Mallory"];
  return fields;
}

beforeAll(async () => {
  server = await startServer({
    "contact.validate": { handler: (args) => serverRules(args) },
    "contact.submit": {
      handler: (args) => {
        const fields = serverRules(args);
        if (Object.keys(fields).length > 0) {
          throw new WireError(422, { code: "VALIDATION", message: "invalid input", fields });
        }
        if (args["email"] === "down@example.com") {
          throw new WireError(503, { code: "UNAVAILABLE", message: "the mail server is down" });
        }
        submitted.push(args);
        return { number: submitted.length };
      },
    },
  });
  setClient(createClient({ baseUrl: server.baseUrl }));
});
afterAll(() => server.close());
afterEach(() => {
  cleanup();
  submitted = [];
  server.requests.length = 0;
});

// ---- A component over the hook ----

let latest: MizanFormResult<ContactFormValues, Receipt> | undefined;

function ContactBox(props: { options?: MizanFormOptions<ContactFormValues, Receipt> | undefined }) {
  const form = useContactForm(props.options);
  latest = form;
  const { errors, isSubmitSuccessful } = form.formState;
  return (
    <form onSubmit={form.onSubmit}>
      <input {...form.register("email")} />
      <p data-error="email">{errors.email?.message}</p>
      <textarea {...form.register("message")} />
      <p data-error="message">{errors.message?.message}</p>
      <input {...form.register("phone")} />
      <p data-error="phone">{errors.phone?.message}</p>
      <input type="number" {...form.register("age")} />
      <p data-error="age">{errors.age?.message}</p>
      <p data-error="root">{errors.root?.["server"]?.message}</p>
      <button type="submit">Send</button>
      {form.result !== undefined && <output>{`#${form.result.number}`}</output>}
      <p data-state>{isSubmitSuccessful ? "ok" : "not yet"}</p>
    </form>
  );
}

function fill(container: HTMLElement, name: string, value: string): void {
  const el = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

const text = (container: HTMLElement, selector: string) => container.querySelector(selector)?.textContent ?? "";

function submit(container: HTMLElement): void {
  container.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
}

async function mounted(options?: MizanFormOptions<ContactFormValues, Receipt>) {
  const r = render(<ContactBox options={options} />);
  await vi.waitFor(() => expect(r.container.querySelector('[name="email"]')).not.toBeNull());
  return r.container;
}

describe("useMizanForm", () => {
  it("starts from the fields' initial values", async () => {
    const container = await mounted();
    expect(container.querySelector<HTMLTextAreaElement>('[name="message"]')?.value).toBe("Hello!");
    expect(latest?.getValues()).toEqual({ email: "", message: "Hello!", phone: "", age: undefined });
    expect(latest?.meta.title).toBe("Contact us");
  });

  it("shows the Zod error on the field and sends nothing", async () => {
    const container = await mounted();
    fill(container, "email", "not an email");
    submit(container);
    await vi.waitFor(() => expect(text(container, '[data-error="email"]')).not.toBe(""));
    expect(text(container, '[data-error="message"]')).toBe("");
    expect(server.requests).toHaveLength(0);
  });

  it("maps the server's field errors onto their fields and whole-form errors onto root.server", async () => {
    const onError = vi.fn();
    const container = await mounted({ onError });
    fill(container, "email", "mallory@example.com");
    fill(container, "message", "buy spam");
    submit(container);
    await vi.waitFor(() => expect(text(container, '[data-error="message"]')).toBe("no spam, please"));
    expect(text(container, '[data-error="root"]')).toBe("not from Mallory");
    expect(text(container, '[data-error="email"]')).toBe("");
    expect(text(container, "[data-state]")).toBe("not yet");
    expect(latest?.error?.code).toBe("VALIDATION");
    expect(onError).toHaveBeenCalledTimes(1);
    expect(calls("contact.submit")).toBe(1);
    expect(submitted).toEqual([]);
    // The focus goes to the first field in error.
    expect(document.activeElement?.getAttribute("name")).toBe("message");
  });

  it("submits valid values and exposes the output", async () => {
    const onSuccess = vi.fn();
    const container = await mounted({ onSuccess });
    fill(container, "email", "ada@example.com");
    fill(container, "message", "Hello there");
    submit(container);
    await vi.waitFor(() => expect(text(container, "output")).toBe("#1"));
    expect(text(container, "[data-state]")).toBe("ok");
    // The optional phone left blank is absent, not "" (which its rule would refuse).
    expect(submitted).toEqual([{ email: "ada@example.com", message: "Hello there" }]);
    expect(text(container, '[data-error="phone"]')).toBe("");
    expect(onSuccess).toHaveBeenCalledWith({ number: 1 }, { email: "ada@example.com", message: "Hello there" });
    expect(latest?.error).toBeNull();
  });

  it("validates an optional field once it is filled in", async () => {
    const container = await mounted();
    fill(container, "email", "ada@example.com");
    fill(container, "message", "Hello there");
    fill(container, "phone", "12");
    submit(container);
    await vi.waitFor(() => expect(text(container, '[data-error="phone"]')).not.toBe(""));
    expect(server.requests).toHaveLength(0);
    fill(container, "phone", "12345");
    submit(container);
    await vi.waitFor(() => expect(text(container, "output")).toBe("#1"));
    expect(submitted).toEqual([{ email: "ada@example.com", message: "Hello there", phone: "12345" }]);
  });

  it("reads a number widget as a number", async () => {
    const container = await mounted();
    fill(container, "email", "ada@example.com");
    fill(container, "message", "Hello there");
    fill(container, "age", "17");
    submit(container);
    await vi.waitFor(() => expect(text(container, '[data-error="age"]')).not.toBe(""));
    expect(server.requests).toHaveLength(0);
    fill(container, "age", "36");
    submit(container);
    await vi.waitFor(() => expect(text(container, "output")).toBe("#1"));
    expect(submitted).toEqual([{ email: "ada@example.com", message: "Hello there", age: 36 }]);
  });

  it("clears a previous server error on the next successful submission", async () => {
    const container = await mounted();
    fill(container, "email", "ada@example.com");
    fill(container, "message", "spam");
    submit(container);
    await vi.waitFor(() => expect(text(container, '[data-error="message"]')).toBe("no spam, please"));
    fill(container, "message", "ham");
    submit(container);
    await vi.waitFor(() => expect(text(container, "output")).toBe("#1"));
    expect(text(container, '[data-error="message"]')).toBe("");
    expect(latest?.error).toBeNull();
  });

  it("puts an error without fields on root.server with its code", async () => {
    const container = await mounted();
    fill(container, "email", "down@example.com");
    fill(container, "message", "Hello there");
    submit(container);
    await vi.waitFor(() => expect(text(container, '[data-error="root"]')).toBe("the mail server is down"));
    expect(latest?.formState.errors.root?.["server"]?.type).toBe("UNAVAILABLE");
    expect(latest?.error?.status).toBe(503);
  });

  it("validateOnServer asks NAME.validate and sets its errors", async () => {
    const container = await mounted();
    fill(container, "email", "ada@example.com");
    fill(container, "message", "spam");
    let valid: boolean | undefined;
    await vi.waitFor(async () => {
      valid = await latest?.validateOnServer();
      expect(valid).toBe(false);
    });
    await vi.waitFor(() => expect(text(container, '[data-error="message"]')).toBe("no spam, please"));
    fill(container, "message", "ham");
    expect(await latest?.validateOnServer()).toBe(true);
    await vi.waitFor(() => expect(text(container, '[data-error="message"]')).toBe(""));
    expect(calls("contact.validate")).toBe(2);
    expect(calls("contact.submit")).toBe(0);
  });
});
