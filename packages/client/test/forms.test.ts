import { describe, expect, it } from "vitest";
import { formErrorTargets, initialValues, ROOT_ERROR, withoutBlankOptionals, numberValue, type FormFieldMeta } from "@mizan/client";

const field = (name: string, widget: FormFieldMeta["widget"], initial: unknown = null): FormFieldMeta => ({
  name,
  label: name,
  widget,
  required: true,
  choices: null,
  initial,
  help_text: null,
  constraints: {},
});

describe("formErrorTargets", () => {
  it("keeps field paths, in the form's field order", () => {
    const targets = formErrorTargets(
      { message: ["too short", "no spam"], "items.0.name": ["required"], email: ["invalid"] },
      ["email", "message", "items"],
    );
    expect(targets).toEqual([
      { name: "email", message: "invalid" },
      { name: "message", message: "too short no spam" },
      { name: "items.0.name", message: "required" },
    ]);
  });

  it("sends whole-form errors and unknown keys to root.server, the latter with their key", () => {
    const targets = formErrorTargets({ "": ["try later"], extra: ["unknown key `extra`"], email: ["bad"] }, ["email"]);
    expect(targets).toEqual([
      { name: "email", message: "bad" },
      { name: ROOT_ERROR, message: "try later extra: unknown key `extra`" },
    ]);
    expect(ROOT_ERROR).toBe("root.server");
  });

  it("ignores empty message lists and answers nothing for no errors", () => {
    expect(formErrorTargets({}, ["a"])).toEqual([]);
    expect(formErrorTargets({ a: [] }, ["a"])).toEqual([]);
  });

  it("does not take a prefix of a field name for the field", () => {
    expect(formErrorTargets({ emailAddress: ["x"] }, ["email"])).toEqual([
      { name: ROOT_ERROR, message: "emailAddress: x" },
    ]);
  });
});

describe("initialValues", () => {
  it("uses each field's initial, else a value its widget can hold", () => {
    const values = initialValues([
      field("name", "text"),
      field("greeting", "textarea", "Hello!"),
      field("agree", "checkbox"),
      field("age", "number"),
      field("level", "number", 3),
    ]);
    expect(values).toEqual({ name: "", greeting: "Hello!", agree: false, age: undefined, level: 3 });
    expect(Object.keys(values)).toContain("age");
  });
});

describe("withoutBlankOptionals", () => {
  it("drops blank optional fields only", () => {
    const optional = { ...field("note", "text"), required: false };
    const values = { name: "", note: "", other: "" };
    const out = withoutBlankOptionals(values, [field("name", "text"), optional]);
    expect(out).toEqual({ name: "", other: "" });
    expect("note" in out).toBe(false);
    expect(values.note).toBe("");
    expect(withoutBlankOptionals({ note: "x" }, [optional])).toEqual({ note: "x" });
  });
});

describe("numberValue", () => {
  it("makes numbers of number inputs, and blank absent", () => {
    expect(numberValue("36")).toBe(36);
    expect(numberValue("1.5")).toBe(1.5);
    expect(numberValue(7)).toBe(7);
    expect(numberValue("")).toBeUndefined();
    expect(numberValue("x")).toBeNaN();
  });
});
