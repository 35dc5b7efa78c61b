/**
 * {@link createClient}: the object generated functions call through.
 *
 * @module
 */

import { abortReason } from "./abort.js";
import { Batcher } from "./batcher.js";
import type { ClientCallOptions, ClientOptions } from "./options.js";
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
      let json: string | undefined;
      try {
        json = JSON.stringify(args ?? {});
      } catch (e) {
        return Promise.reject(e);
      }
      if (json === undefined) {
        return Promise.reject(new TypeError(`mizan: arguments of "${name}" are not JSON-serializable`));
      }
      const call: WireCall = { name, json, query: opts.query ?? false };
      if (batcher && opts.batch !== false) return batcher.enqueue(call, signal) as Promise<T>;
      return transport.call(call, signal).then((outcome) => {
        if (outcome.ok) return outcome.data as T;
        throw outcome.error;
      });
    },
  };
}
