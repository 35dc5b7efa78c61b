/**
 * The multipart body of a call to a function that takes files.
 *
 * @module
 */

/**
 * `args` as an upload call's body: first the part `args`, the JSON of every
 * argument but `fileArg` (`application/json`), then one part named `fileArg`
 * per file (a list's files in order; none for a left-out optional file).
 * A `TypeError` when the other arguments are not JSON or a file is not a `Blob`.
 */
export function uploadForm(name: string, args: Record<string, unknown>, fileArg: string): FormData {
  const { [fileArg]: files, ...rest } = args;
  const json = JSON.stringify(rest);
  if (json === undefined) throw new TypeError(`mizan: arguments of "${name}" are not JSON-serializable`);
  const form = new FormData();
  form.append("args", new Blob([json], { type: "application/json" }));
  const list = files === undefined || files === null ? [] : Array.isArray(files) ? files : [files];
  for (const file of list) {
    if (!(file instanceof Blob)) throw new TypeError(`mizan: "${fileArg}" of "${name}" must be a File or Blob`);
    form.append(fileArg, file, file instanceof File ? file.name : "blob");
  }
  return form;
}
