// A form's file field in the core form runtime: what a file input's value
// becomes, the values validate takes, starting values, `accept`, and server
// errors of a file list landing on the list's input.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  acceptOf,
  fileField,
  fileValue,
  formErrorTargets,
  initialValues,
  isFileField,
  isFileList,
  wireValues,
  withoutFiles,
  type FormFieldMeta,
} from "@mizan/client";

const text: FormFieldMeta = {
  name: "name",
  label: "Name",
  widget: "text",
  required: true,
  choices: null,
  initial: null,
  help_text: null,
  constraints: { minLength: 1 },
};
const picture: FormFieldMeta = {
  name: "picture",
  label: "Picture",
  widget: "file",
  required: true,
  choices: null,
  initial: null,
  help_text: null,
  constraints: { maxBytes: 8, mime: ["image/png", "image/jpeg"], multiple: false },
};
const photos: FormFieldMeta = {
  ...picture,
  name: "photos",
  required: false,
  constraints: { maxBytes: 8, maxCount: 2, multiple: true },
};

/** What react-hook-form reads from an `<input type="file">`: a FileList (array-like, with `item`). */
function fileList(...files: File[]): ArrayLike<File> & { item(i: number): File | null } {
  const list: Record<number, File> & { length: number; item(i: number): File | null } = {
    length: files.length,
    item: (i: number) => files[i] ?? null,
  };
  files.forEach((f, i) => (list[i] = f));
  return list;
}

const png = (bytes = 4, name = "a.png") => new File([new Uint8Array(bytes)], name, { type: "image/png" });

describe("file fields", () => {
  it("are told apart by their widget, a list by `multiple`", () => {
    expect([text, picture, photos].map(isFileField)).toEqual([false, true, true]);
    expect([text, picture, photos].map(isFileList)).toEqual([false, false, true]);
    expect(fileField([text, picture])).toBe(picture);
    expect(fileField([text])).toBeUndefined();
  });

  it("take a FileList's first File, or every File for a list", () => {
    const a = png(1, "a.png");
    const b = png(2, "b.png");
    expect(fileValue(fileList(a, b), false)).toBe(a);
    expect(fileValue(fileList(a, b), true)).toEqual([a, b]);
    expect(fileValue(fileList(), false)).toBeUndefined();
    expect(fileValue(fileList(), true)).toEqual([]);
    expect(fileValue([a], false)).toBe(a);
    expect(fileValue(a, true)).toEqual([a]);
    expect(fileValue(undefined, false)).toBeUndefined();
    expect(fileValue("", false)).toBeUndefined();
    // Something else is left for the schema to refuse.
    expect(fileValue("not a file", false)).toBe("not a file");
    expect(fileValue(["x"], true)).toEqual(["x"]);
  });

  it("are made wire values (none chosen: left out) and left out of what validate takes", () => {
    const a = png();
    const values = wireValues({ name: "Ada", picture: fileList(a) }, [text, picture]);
    expect(values).toEqual({ name: "Ada", picture: a });
    expect(values.picture).toBe(a);
    expect(wireValues({ name: "Ada", picture: fileList() }, [text, picture])).toEqual({ name: "Ada" });
    expect(withoutFiles(values, [text, picture])).toEqual({ name: "Ada" });
    expect(withoutFiles({ name: "Ada" }, [text])).toEqual({ name: "Ada" });
  });

  it("start empty: no file, or an empty list", () => {
    expect(initialValues([text, picture, photos])).toEqual({ name: "", picture: undefined, photos: [] });
  });

  it("give the input its accept attribute", () => {
    expect(acceptOf(picture)).toBe("image/png,image/jpeg");
    expect(acceptOf(photos)).toBeUndefined();
  });

  it("pass the form's Zod schema as codegen emits it: size, type and presence checked", () => {
    const schema = z.strictObject({
      name: z.string().min(1),
      picture: z.file().max(8).mime(["image/png", "image/jpeg"]),
    });
    const check = (input: Record<string, unknown>) => schema.safeParse(wireValues(input, [text, picture]));
    expect(check({ name: "Ada", picture: fileList(png(8)) }).success).toBe(true);
    const big = check({ name: "Ada", picture: fileList(png(9)) });
    expect(big.success ? [] : big.error.issues.map((i) => [i.path.join("."), i.code])).toEqual([["picture", "too_big"]]);
    const gif = check({ name: "Ada", picture: fileList(new File(["G"], "a.gif", { type: "image/gif" })) });
    expect(gif.success ? [] : gif.error.issues.map((i) => i.path.join("."))).toEqual(["picture"]);
    const none = check({ name: "Ada", picture: fileList() });
    expect(none.success ? [] : none.error.issues.map((i) => i.path.join("."))).toEqual(["picture"]);
  });

  it("of a list take the server's errors on the list's input, with the file's place", () => {
    const targets = formErrorTargets(
      { "photos.1": ["the file's type is text/plain"], name: ["required"] },
      ["name", "photos"],
      ["photos"],
    );
    expect(targets).toEqual([
      { name: "name", message: "required" },
      { name: "photos", message: "file 2: the file's type is text/plain" },
    ]);
    // Without `whole`, a sub-path stays a path (as for any field).
    expect(formErrorTargets({ "photos.1": ["bad"] }, ["photos"])).toEqual([{ name: "photos.1", message: "bad" }]);
  });
});
