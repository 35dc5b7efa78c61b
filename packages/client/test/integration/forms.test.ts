/**
 * The generated form `contact` of examples/hello against the real server:
 * the generated description agrees with `contact.schema`, `validate`
 * answers field errors (server-only rule included) as data, `submit`
 * refuses with wire-named field errors or answers the receipt, and the
 * values' Zod schema agrees with the server's rules.
 */

import { beforeEach, describe, expect, it } from "vitest";
import { configure } from "@mizan/client";
import {
  contact,
  ContactFormValuesSchema,
  contactSubmit,
  MizanError,
  type ContactFormValues,
} from "hello-frontend/frontend/generated";
import { baseUrl, recordingFetch, rejection, type SentRequest } from "./support";

let sent: SentRequest[];

beforeEach(() => {
  const rec = recordingFetch();
  sent = rec.sent;
  configure({ baseUrl, fetch: rec.fetch });
});

const valid: ContactFormValues = { name: "Ada", email: "ada@example.com", message: "Hello there, mizan!" };

describe("form contact", () => {
  it("the generated description is what contact.schema answers (GET: it is a query)", async () => {
    const served = await contact.schema();
    expect(served).toEqual({ name: contact.name, title: contact.title, doc: contact.doc, fields: contact.fields });
    expect(served.fields.map((f) => [f.name, f.widget, f.required])).toEqual([
      ["name", "text", true],
      ["email", "email", true],
      ["message", "textarea", true],
    ]);
    expect(sent.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual(["GET call/contact.schema"]);
  });

  it("validate answers field errors as data, the server-only rule included, and {} when valid", async () => {
    expect(await contact.validate(valid)).toEqual({});
    expect(await contact.validate({ ...valid, message: "Cheap SPAM for sale" })).toEqual({
      message: ["Messages about spam are not accepted."],
    });
    const bad = await contact.validate({ ...valid, email: "nope", name: "" });
    expect(Object.keys(bad).sort()).toEqual(["email", "name"]);
  });

  it("submit refuses with VALIDATION 422 and wire-named field errors, or answers the receipt", async () => {
    const short = await rejection(contact.submit({ ...valid, message: "hi" }));
    expect(short).toBeInstanceOf(MizanError);
    expect([short.code, short.status]).toEqual(["VALIDATION", 422]);
    expect(Object.keys(short.fields)).toEqual(["message"]);
    expect(short.issues[0]).toMatchObject({ path: ["message"], code: "too_small" });

    const spam = await rejection(contactSubmit({ ...valid, message: "This is not spam, honestly" }));
    expect(spam.fields).toEqual({ message: ["Messages about spam are not accepted."] });
    expect(spam.issues[0]?.code).toBe("custom");

    const receipt = await contact.submit(valid);
    expect(receipt.message).toBe("Thanks, Ada! We will answer ada@example.com.");
    expect(receipt.number).toBeGreaterThan(0);
    const next = await contact.submit(valid);
    expect(next.number).toBeGreaterThan(receipt.number);
  });

  it("the values' Zod schema accepts and refuses what the server does, except the server-only rule", async () => {
    const cases: unknown[] = [
      valid,
      { ...valid, name: "" },
      { ...valid, name: "😀".repeat(100) },
      { ...valid, name: "😀".repeat(101) },
      { ...valid, email: "ada@" },
      { ...valid, message: "é".repeat(9) },
      { ...valid, message: "é".repeat(10) },
      { ...valid, extra: true },
      { name: "Ada", email: "ada@example.com" },
    ];
    for (const values of cases) {
      const local = ContactFormValuesSchema.safeParse(values);
      const server = await contact.validate(values as ContactFormValues).then(
        (fields) => Object.keys(fields).sort(),
        (e: unknown) => {
          throw e;
        },
      );
      const zodPaths = local.success
        ? []
        : [
            ...new Set(
              local.error.issues.flatMap((i) =>
                i.code === "unrecognized_keys" ? i.keys.map(String) : [i.path.join(".")],
              ),
            ),
          ].sort();
      expect({ values, zod: zodPaths }).toEqual({ values, zod: server });
    }
    // The server-only rule is the one difference: Zod passes, the server refuses.
    const spam = { ...valid, message: "spam spam spam" };
    expect(ContactFormValuesSchema.safeParse(spam).success).toBe(true);
    expect(await contact.validate(spam)).toHaveProperty("message");
  });
});
