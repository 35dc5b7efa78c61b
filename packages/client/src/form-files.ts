/**
 * A form's file fields (widget `file`): what a file input's value becomes,
 * the values `NAME.validate` takes (no files), and the input's `accept`.
 * A form has at most one file field; its files go to `NAME.submit` as the
 * parts of a multipart upload call.
 *
 * @module
 */

import type { FormFieldMeta } from "./forms.js";

/** Whether `field` takes files (widget `file`). */
export function isFileField(field: FormFieldMeta): boolean {
  return field.widget === "file";
}

/** Whether `field` takes a list of files (`mizan::Uploads`). */
export function isFileList(field: FormFieldMeta): boolean {
  return isFileField(field) && field.constraints.multiple === true;
}

/** The form's file field, if it has one. */
export function fileField(fields: readonly FormFieldMeta[]): FormFieldMeta | undefined {
  return fields.find(isFileField);
}

/**
 * What a file input's value becomes in the values: its first `File` (or
 * `undefined` when none is chosen) for a single file, every `File` for a
 * list. Takes a `FileList` (what react-hook-form reads from an
 * `<input type="file">`), an array of files, one `Blob`, or nothing.
 */
export function fileValue(value: unknown, multiple: boolean): Blob | Blob[] | undefined {
  const list = toBlobs(value);
  if (list === null) return value as Blob | undefined;
  return multiple ? list : list[0];
}

/** The blobs of `value`, or `null` when it is something else (left for the schema to refuse). */
function toBlobs(value: unknown): Blob[] | null {
  if (value === undefined || value === null || value === "") return [];
  if (typeof Blob !== "undefined" && value instanceof Blob) return [value];
  if (Array.isArray(value)) return value.every(isBlob) ? value : null;
  if (typeof value === "object" && typeof (value as ArrayLike<unknown>).length === "number") {
    const items = Array.from(value as ArrayLike<unknown>);
    return items.every(isBlob) ? (items as Blob[]) : null;
  }
  return null;
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

/** `values` without the file fields: what `NAME.validate` takes (files are sent to `NAME.submit` only). */
export function withoutFiles<T extends Record<string, unknown>>(
  values: T,
  fields: readonly FormFieldMeta[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const f of fields) if (isFileField(f)) delete out[f.name];
  return out;
}

/** A file input's `accept` attribute: the field's allowed types, comma-separated; `undefined` when any is. */
export function acceptOf(field: FormFieldMeta): string | undefined {
  const mime = field.constraints.mime;
  return mime && mime.length > 0 ? mime.join(",") : undefined;
}
