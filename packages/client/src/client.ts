/**
 * {@link createClient}: the object generated functions call through.
 *
 * @module
 */

import { abortReason } from "./abort.js";
import { Batcher } from "./batcher.js";
import type { ClientCallOptions, ClientOptions, UploadOptions } from "./options.js";
import { uploadForm } from "./upload.js";
import { streamCall } from "./stream.js";
import { Transport, type WireCall } from "./transport.js";

/** A configured connection to one mizan server. */
export interface MizanClient {
  /** The URL prefix requests go to, without a trailing slash (e.g. `"/api/mizan"`). */
  readonly baseUrl: string;
  /**
   * Calls server function `name` with `args` (a JSON object of named
   * arguments). Resolves with the function's data; rejects with a
   * {@link MizanError}, or with the signal's reason when `opts.signal` aborts.
   */
  call<T>(name: string, args: unknown, opts?: ClientCallOptions): Promise<T>;
  /**
   * Calls stream function `name` (one returning `mizan::Stream<T>`) with
   * `args`: an async iterator of its items as they arrive, sent on the first
   * `next()` and never batched. It throws a {@link MizanError} (the call's
   * error, an error line, or `NETWORK` for a stream cut short), or the
   * signal's reason when `opts.signal` aborts; leaving a `for await` early
   * aborts the request, and the server drops the stream.
   */
  stream<T>(name: string, args: unknown, opts?: ClientCallOptions): AsyncGenerator<T, void, undefined>;
  /**
   * Calls function `name`, which takes files under argument `fileArg`, with
   * `args` (the files included): sent as `multipart/form-data`, the other
   * arguments' JSON as the first part (`args`), then one part per file,
   * never batched. `opts.onUploadProgress` reports the body's progress.
   */
  upload<T>(name: string, args: Record<string, unknown>, fileArg: string, opts?: UploadOptions): Promise<T>;
}

/** Largest batch the server accepts by default (`413` beyond it). */
export const DEFAULT_MAX_BATCH = 50;

/**
 * Creates a client. With no options it talks to `/api/mizan` on the page's
 * origin, batches same-tick calls, and sends the CSRF cookie back as a header.
 *
 * ```ts
 * const client = createClient({ headers: () => ({ authorization: `Bearer ${token}` }) });
 * const out = await client.call<{ message: string }>("echo", { text: "hi" });
 * ```
 */
export function createClient(options: ClientOptions = {}): MizanClient {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${String(maxBatch)}`);
  }
  const transport = new Transport(options);
  const batcher = options.batch === false ? undefined : new Batcher(transport, maxBatch);

  return {
    baseUrl: transport.baseUrl,
    call<T>(name: string, args: unknown, opts: ClientCallOptions = {}): Promise<T> {
      const { signal } = opts;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      let call: WireCall;
      try {
        call = wireCall(name, args, opts);
      } catch (e) {
        return Promise.reject(e);
      }
      if (batcher && opts.batch !== false) return batcher.enqueue(call, signal) as Promise<T>;
      return transport.call(call, signal).then((outcome) => {
        if (outcome.ok) return outcome.data as T;
        throw outcome.error;
      });
    },
    async *stream<T>(name: string, args: unknown, opts: ClientCallOptions = {}): AsyncGenerator<T, void, undefined> {
      // Never through the batcher: a stream answers on its own.
      yield* streamCall<T>(transport, wireCall(name, args, opts), opts.signal);
    },
    async upload<T>(name: string, args: Record<string, unknown>, fileArg: string, opts: UploadOptions = {}): Promise<T> {
      const { signal } = opts;
      if (signal?.aborted) throw abortReason(signal);
      const outcome = await transport.upload(name, uploadForm(name, args, fileArg), signal, opts.onUploadProgress);
      if (outcome.ok) return outcome.data as T;
      throw outcome.error;
    },
  };
}

/** `args` serialized for the wire; a `TypeError` when they are not JSON. */
function wireCall(name: string, args: unknown, opts: ClientCallOptions): WireCall {
  const json = JSON.stringify(args ?? {});
  if (json === undefined) throw new TypeError(`mizan: arguments of "${name}" are not JSON-serializable`);
  return { name, json, query: opts.query ?? false };
}
