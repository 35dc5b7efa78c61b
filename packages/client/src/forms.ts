/**
 * Forms without React: the description a form carries (the manifest's
 * `forms` entry, what `NAME.schema` answers), the typed form object codegen
 * emits, and how server field errors map onto form fields.
 *
 * @module
 */

import { toBrowserLocal, withBrowserOffset } from "./datetime-local.js";
import type { FieldErrors } from "./errors.js";
import { fileValue, isFileField } from "./form-files.js";
import type { CallOptions, UploadOptions } from "./options.js";

/** How a field is edited: the HTML input type it stands for (plus `textarea`, `select`, `radio`; `file` for an upload). */
export type FormWidget =
  | "text"
  | "textarea"
  | "email"
  | "url"
  | "password"
  | "number"
  | "checkbox"
  | "select"
  | "radio"
  | "date"
  | "time"
  | "datetime-local"
  | "hidden"
  | "file";

/** One choice of a field: the value sent and what the user sees. */
export interface FormChoice {
  readonly value: unknown;
  readonly label: string;
}

/** A field's rules as JSON Schema keywords (lengths count Unicode code points); absent (or `null`) when none. */
export interface FormConstraints {
  readonly minLength?: number | null | undefined;
  readonly maxLength?: number | null | undefined;
  readonly minimum?: number | null | undefined;
  readonly maximum?: number | null | undefined;
  readonly exclusiveMinimum?: number | null | undefined;
  readonly exclusiveMaximum?: number | null | undefined;
  readonly minItems?: number | null | undefined;
  readonly maxItems?: number | null | undefined;
  readonly pattern?: string | null | undefined;
  readonly format?: string | null | undefined;
  /** A `file` field: bytes allowed per file. */
  readonly maxBytes?: number | null | undefined;
  /** A `file` field taking a list: files allowed. */
  readonly maxCount?: number | null | undefined;
  /** A `file` field: the declared types allowed (`type/subtype` or `type/*`); absent when any is. */
  readonly mime?: readonly string[] | null | undefined;
  /** A `file` field: whether it takes a list of files. */
  readonly multiple?: boolean | null | undefined;
}

/** One field of a form. */
export interface FormFieldMeta {
  /** Wire name: the key in the values and in field errors. */
  readonly name: string;
  readonly label: string;
  readonly widget: FormWidget;
  /** Whether the value must be present. */
  readonly required: boolean;
  /** The allowed values, or `null` for free input. */
  readonly choices: readonly FormChoice[] | null;
  /** The initial value, or `null`. */
  readonly initial: unknown;
  readonly help_text: string | null;
  readonly constraints: FormConstraints;
}

/** A form's description: the manifest's `forms` entry and what `NAME.schema` answers. */
export interface FormMeta {
  /** Wire name (`contact` for `contact.submit`). */
  readonly name: string;
  readonly title: string;
  readonly doc: string | null;
  readonly fields: readonly FormFieldMeta[];
}

/** The part of a Zod schema the core relies on: `parse`. */
export interface ValuesSchema<T> {
  parse(data: unknown): T;
}

/**
 * What codegen emits per form (`contact` for form `contact`): the
 * description, the values' Zod schema and the three server functions.
 */
export interface MizanForm<TValues, TOut> extends FormMeta {
  /** The values' Zod schema, with the server's rules (typed structurally: the core does not import Zod). */
  readonly values: ValuesSchema<TValues>;
  /** `NAME.schema`: the description, from the server. */
  schema(args?: Record<string, never>, opts?: CallOptions): Promise<FormMeta>;
  /** `NAME.validate`: the field errors of `values` (`{}` when valid), server-only rules included. */
  validate(values: TValues, opts?: CallOptions): Promise<FieldErrors>;
  /**
   * `NAME.submit`: the handler's output; rejects with `VALIDATION` and field
   * errors when refused. A form with a file field submits as an upload
   * call (multipart), so `opts.onUploadProgress` applies.
   */
  submit(values: TValues, opts?: UploadOptions): Promise<TOut>;
}

/** Where whole-form errors go in react-hook-form's errors. */
export const ROOT_ERROR = "root.server";

/** One error to show: a field path (or {@link ROOT_ERROR}) and its message. */
export interface FormErrorTarget {
  readonly name: string;
  readonly message: string;
}

/**
 * Maps server field errors onto a form: a key whose first segment is one of
 * `fields` (`"email"`, `"items.0.name"`) stays a field path; `""` and keys
 * the form does not have (an unknown key, say) go to {@link ROOT_ERROR},
 * the latter prefixed with their key. A key under one of `whole` (a file
 * list: `"photos.1"`) goes on that field itself, its messages prefixed
 * with the file's position (`"file 2: …"`). Several messages for one
 * target are joined with a space.
 */
export function formErrorTargets(
  errors: FieldErrors,
  fields: readonly string[],
  whole: readonly string[] = [],
): FormErrorTarget[] {
  const known = new Set(fields);
  const byField = new Map<string, string[]>();
  const root: string[] = [];
  for (const [rawKey, rawMessages] of Object.entries(errors)) {
    if (rawMessages.length === 0) continue;
    const [head = "", index] = rawKey.split(".");
    const collapse = whole.includes(head) && rawKey !== head;
    const key = collapse ? head : rawKey;
    const at = Number(index);
    const messages =
      collapse && Number.isInteger(at) ? rawMessages.map((m) => `file ${at + 1}: ${m}`) : rawMessages;
    if (key !== "" && known.has(head)) {
      byField.set(key, [...(byField.get(key) ?? []), ...messages]);
    } else {
      root.push(...(key === "" ? messages : messages.map((m) => `${key}: ${m}`)));
    }
  }
  const out: FormErrorTarget[] = [];
  // In the form's field order, so the first error is the first field's.
  for (const name of fields) {
    for (const [key, messages] of byField) {
      if (key === name || key.startsWith(`${name}.`)) out.push({ name: key, message: messages.join(" ") });
    }
  }
  if (root.length > 0) out.push({ name: ROOT_ERROR, message: root.join(" ") });
  return out;
}

/**
 * Whether a field is an instant edited in a `datetime-local` input: its
 * format is `date-time` (a `DateTime<Utc>`), which needs an offset the input
 * does not have.
 */
export function isLocalInstant(field: FormFieldMeta): boolean {
  return field.widget === "datetime-local" && field.constraints.format === "date-time";
}

/**
 * The form's starting values from its description: each field's `initial`
 * (an instant in a `datetime-local` input shown as the browser's local
 * time), else `false` for a checkbox, `undefined` for a number or a file,
 * `[]` for a list of files, `""` otherwise.
 */
export function initialValues(fields: readonly FormFieldMeta[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.initial !== null && f.initial !== undefined) out[f.name] = isLocalInstant(f) ? toBrowserLocal(f.initial) : f.initial;
    else if (f.widget === "checkbox") out[f.name] = false;
    else if (f.widget === "number") out[f.name] = undefined;
    else if (isFileField(f)) out[f.name] = f.constraints.multiple === true ? [] : undefined;
    else out[f.name] = "";
  }
  return out;
}

/**
 * `values` without the optional fields left blank: an empty input (`""`) of
 * a field that is not `required` means "no value", so the key is dropped
 * (the server then sees it absent, `None` or its default) instead of
 * sending `""` into the field's rules.
 */
export function withoutBlankOptionals<T extends Record<string, unknown>>(
  values: T,
  fields: readonly FormFieldMeta[],
): T {
  const out: Record<string, unknown> = { ...values };
  for (const f of fields) {
    if (!f.required && out[f.name] === "") delete out[f.name];
  }
  return out as T;
}

/**
 * The values as they are validated and sent: optional fields left blank
 * dropped ({@link withoutBlankOptionals}), each instant edited in a
 * `datetime-local` input ({@link isLocalInstant}) given the browser's
 * offset at that local time (`2025-03-01T09:30` in New York becomes
 * `2025-03-01T09:30:00-05:00`; see `withBrowserOffset`), and a file
 * input's `FileList` made its first `File` (every `File` for a list; see
 * `fileValue`), left out when none is chosen.
 */
export function wireValues<T extends Record<string, unknown>>(values: T, fields: readonly FormFieldMeta[]): T {
  const out: Record<string, unknown> = withoutBlankOptionals(values, fields);
  for (const f of fields) {
    if (isLocalInstant(f) && f.name in out) out[f.name] = withBrowserOffset(out[f.name]);
    if (isFileField(f)) {
      const files = fileValue(out[f.name], f.constraints.multiple === true);
      if (files === undefined) delete out[f.name];
      else out[f.name] = files;
    }
  }
  return out as T;
}

/**
 * What a number input's value becomes: `""` (left blank) is `undefined`,
 * anything else a number (`NaN` when it is not one, which the schema
 * refuses as it should).
 */
export function numberValue(value: unknown): number | undefined {
  if (value === "" || value === null || value === undefined) return undefined;
  return typeof value === "number" ? value : Number(value);
}
