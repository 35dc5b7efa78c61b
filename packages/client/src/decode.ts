/**
 * Decoding of wire protocol v1 responses into data or {@link MizanError}s.
 *
 * Anything that is not the protocol (an HTML error page from a proxy, invalid
 * JSON, JSON with neither `data` nor `error`) becomes `BAD_RESPONSE`, so
 * callers only ever see a `MizanError` (or an abort).
 *
 * @module
 * @internal
 */

import { isAbortError } from "./abort.js";
import { MizanError, statusForCode, type FieldErrors, type Issue } from "./errors.js";

/** The settled value of one call: its data, or the error it rejects with. */
export type Outcome = { ok: true; data: unknown } | { ok: false; error: MizanError };

/**
 * Status given to a batched error item whose error object carries no
 * `status` (mizan's server always sends one) and whose code is
 * handler-defined.
 */
const UNKNOWN_ITEM_STATUS = 400;

const CODE_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `BAD_RESPONSE` for `what` (e.g. `"POST /api/mizan/batch"`) with a reason. */
export function badResponse(what: string, status: number, reason: string, cause?: unknown): MizanError {
  return new MizanError({
    code: "BAD_RESPONSE",
    status,
    message: `Unexpected response to ${what} (HTTP ${status}): ${reason}`,
    cause,
  });
}

/** `NETWORK` error (status 0) for a request that got no (complete) response. */
export function networkError(what: string, cause: unknown): MizanError {
  const detail = cause instanceof Error && cause.message ? `: ${cause.message}` : "";
  return new MizanError({ code: "NETWORK", status: 0, message: `Network error during ${what}${detail}`, cause });
}

function decodeIssues(raw: unknown): Issue[] {
  if (!Array.isArray(raw)) return [];
  const out: Issue[] = [];
  for (const item of raw) {
    if (!isRecord(item)) continue;
    const { path: rawPath, code, message } = item;
    if (!Array.isArray(rawPath)) continue;
    const path = rawPath.filter((p): p is string | number => typeof p === "string" || typeof p === "number");
    if (path.length !== rawPath.length) continue;
    out.push({
      path,
      code: typeof code === "string" ? code : "custom",
      message: typeof message === "string" ? message : "",
    });
  }
  return out;
}

function decodeFields(raw: unknown, issues: Issue[]): FieldErrors {
  const out: FieldErrors = {};
  if (isRecord(raw)) {
    for (const [key, messages] of Object.entries(raw)) {
      const list = Array.isArray(messages) ? messages : [messages];
      const strings = list.filter((m): m is string => typeof m === "string");
      if (strings.length > 0) out[key] = strings;
    }
    return out;
  }
  // A backend that sends only `issues` still gets `fields`, keyed the same way.
  for (const issue of issues) (out[issue.path.join(".")] ??= []).push(issue.message);
  return out;
}

function defaultMessage(code: string): string {
  return code === "INTERNAL" ? "Internal server error" : `Request failed with ${code}`;
}

/**
 * Decodes a wire error object (`{"code","message","fields"?,"issues"?,"data"?,"status"?,"request_id"?}`).
 * `httpStatus` is the response status for an unbatched call, `undefined` for a
 * batch item (whose object carries its `status`). Returns `undefined` when
 * `raw` is not an error object.
 */
export function decodeErrorObject(raw: unknown, httpStatus: number | undefined): MizanError | undefined {
  if (!isRecord(raw)) return undefined;
  const { code, status, message, fields, request_id: requestId } = raw;
  if (typeof code !== "string" || !CODE_PATTERN.test(code)) return undefined;
  const issues = decodeIssues(raw["issues"]);
  const wireStatus = typeof status === "number" && Number.isInteger(status) ? status : undefined;
  const init = {
    code,
    status: httpStatus ?? wireStatus ?? statusForCode(code) ?? UNKNOWN_ITEM_STATUS,
    message: typeof message === "string" && message !== "" ? message : defaultMessage(code),
    fields: decodeFields(fields, issues),
    issues,
  };
  const withData = "data" in raw && raw["data"] !== undefined ? { ...init, data: raw["data"] } : init;
  return typeof requestId === "string" ? new MizanError({ ...withData, requestId }) : new MizanError(withData);
}

/**
 * Decodes one envelope, `{"data": …}` or `{"error": {…}}`. `httpStatus` as in
 * {@link decodeErrorObject}; `undefined` when `raw` is neither.
 */
export function decodeEnvelope(raw: unknown, httpStatus: number | undefined): Outcome | undefined {
  if (!isRecord(raw)) return undefined;
  if ("error" in raw) {
    const error = decodeErrorObject(raw["error"], httpStatus);
    return error ? { ok: false, error } : undefined;
  }
  if ("data" in raw) return { ok: true, data: raw["data"] };
  return undefined;
}

/**
 * Reads and parses a response body as JSON. Throws `NETWORK` if the body
 * cannot be read, `BAD_RESPONSE` if it is not JSON, and rethrows aborts.
 */
export async function readJson(response: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw networkError(what, e);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const type = response.headers.get("content-type") ?? "no content type";
    throw badResponse(what, response.status, `body is not JSON (${type})`, e);
  }
}

/**
 * Turns the response of a single call (`call/{name}`) into its outcome. An
 * error envelope is honoured at any status; data only on a 2xx status.
 */
export async function decodeCallResponse(response: Response, what: string): Promise<Outcome> {
  let body: unknown;
  try {
    body = await readJson(response, what);
  } catch (e) {
    if (e instanceof MizanError) return { ok: false, error: e };
    throw e;
  }
  const outcome = decodeEnvelope(body, response.status);
  if (outcome && (!outcome.ok || response.ok)) return outcome;
  const reason = outcome ? "data envelope on an error status" : 'expected {"data": …} or {"error": {…}}';
  return { ok: false, error: badResponse(what, response.status, reason) };
}

/**
 * Turns the response of `POST batch` into one outcome per item, in order.
 * A whole-batch failure (non-2xx, malformed body, wrong length) gives every
 * item the same error; a single malformed item gives that item `BAD_RESPONSE`.
 */
export async function decodeBatchResponse(response: Response, what: string, count: number): Promise<Outcome[]> {
  const all = (error: MizanError): Outcome[] => Array.from({ length: count }, () => ({ ok: false, error }));
  let body: unknown;
  try {
    body = await readJson(response, what);
  } catch (e) {
    if (e instanceof MizanError) return all(e);
    throw e;
  }
  if (!response.ok) {
    const outcome = decodeEnvelope(body, response.status);
    return all(outcome && !outcome.ok ? outcome.error : badResponse(what, response.status, "expected an error envelope"));
  }
  if (!Array.isArray(body)) return all(badResponse(what, response.status, "expected a JSON array"));
  if (body.length !== count) {
    return all(badResponse(what, response.status, `expected ${count} results, got ${body.length}`));
  }
  return body.map(
    (item, i): Outcome =>
      decodeEnvelope(item, undefined) ?? {
        ok: false,
        error: badResponse(what, response.status, `result ${i} is neither {"data": …} nor {"error": {…}}`),
      },
  );
}
