/**
 * Streamed outputs: a call to a function returning `mizan::Stream<T>`
 * answers `application/x-ndjson`, one `{"data": item}` line per item, then
 * `{"end": true}` or `{"error": {…}}`; {@link streamCall} reads it as an
 * async iterator of items. Never batched.
 *
 * @module
 * @internal
 */

import { abortReason, isAbortError } from "./abort.js";
import { badResponse, decodeCallResponse, decodeErrorObject, networkError } from "./decode.js";
import type { MizanError } from "./errors.js";
import { LineDecoder } from "./ndjson.js";
import type { Transport, WireCall } from "./transport.js";

/** The content type of a streamed output. */
export const NDJSON = "application/x-ndjson";

/** One line of a stream, read. */
type Line = { kind: "data"; data: unknown } | { kind: "end" } | { kind: "error"; error: MizanError };

function parseLine(text: string, what: string, status: number): Line {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (e) {
    throw badResponse(what, status, `a stream line is not JSON: ${text.slice(0, 80)}`, e);
  }
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const line = raw as Record<string, unknown>;
    if ("data" in line) return { kind: "data", data: line["data"] };
    if (line["end"] === true) return { kind: "end" };
    if ("error" in line) {
      const error = decodeErrorObject(line["error"], undefined);
      if (error) return { kind: "error", error };
    }
  }
  throw badResponse(what, status, `expected {"data": …}, {"end": true} or {"error": {…}}, got ${text.slice(0, 80)}`);
}

function isNdjson(response: Response): boolean {
  const type = response.headers.get("content-type") ?? "";
  return type.split(";")[0]?.trim().toLowerCase() === NDJSON;
}

/**
 * The items of a streamed call, as they arrive. The request is sent on the
 * first `next()`. A failure before the first item (the server's error
 * answer), an `{"error": …}` line, or a response that is not this
 * protocol rejects with a {@link MizanError} (a stream cut short before
 * its last line is `NETWORK`); an abort of `signal` with its reason. The
 * request is aborted whenever iteration stops early: `break` out of
 * `for await`, `return()`, or a throw in the loop body.
 */
export async function* streamCall<T>(
  transport: Transport,
  call: WireCall,
  signal: AbortSignal | undefined,
): AsyncGenerator<T, void, undefined> {
  if (signal?.aborted) throw abortReason(signal);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(abortReason(signal as AbortSignal));
  signal?.addEventListener("abort", onAbort, { once: true });
  const aborted = (e: unknown): unknown => (signal?.aborted ? abortReason(signal) : e);
  try {
    const { response, what } = await transport.open(call, controller.signal, NDJSON);
    if (!isNdjson(response)) {
      const outcome = await decodeCallResponse(response, what);
      if (!outcome.ok) throw outcome.error;
      throw badResponse(what, response.status, `expected ${NDJSON} from a stream function`);
    }
    if (!response.ok || response.body === null) {
      throw badResponse(what, response.status, "a stream answer without its lines");
    }
    const reader = response.body.getReader();
    const lines = new LineDecoder();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (signal?.aborted || isAbortError(e)) throw aborted(e);
          throw networkError(what, e);
        }
        if (chunk.done) break;
        let texts: string[];
        try {
          texts = lines.push(chunk.value);
        } catch (e) {
          throw badResponse(what, response.status, "a stream line is not UTF-8", e);
        }
        for (const text of texts) {
          const line = parseLine(text, what, response.status);
          if (line.kind === "data") yield line.data as T;
          else if (line.kind === "end") return;
          else throw line.error;
        }
      }
      let rest: string | undefined;
      try {
        rest = lines.end();
      } catch (e) {
        throw badResponse(what, response.status, "a stream line is not UTF-8", e);
      }
      const cut = rest === undefined ? "after its last item" : "inside a line";
      throw networkError(what, new Error(`the stream ended ${cut}, before its end line`));
    } finally {
      reader.releaseLock();
    }
  } catch (e) {
    throw aborted(e);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Done, failed or left early: the request (if still open) ends here.
    controller.abort();
  }
}
