/**
 * HTTP side of the client: builds protocol v1 requests, sends them, decodes
 * the answers. No queueing here; see `batcher.ts`.
 *
 * @module
 * @internal
 */

import { isAbortError } from "./abort.js";
import { csrfFromCookie, CSRF_HEADER } from "./csrf.js";
import { decodeBatchResponse, decodeCallResponse, networkError, type Outcome } from "./decode.js";
import type { ClientOptions, FetchLike, HeadersOption } from "./options.js";

/**
 * Longest URL, in bytes, a query is sent as `GET call/{name}?input=…`: a
 * query whose URL (as passed to `fetch`, base URL included) would be longer
 * goes as `POST call/{name}` with the JSON body instead, since servers and
 * proxies refuse long request lines (`414`).
 */
export const MAX_GET_URL_BYTES = 4096;

/** UTF-8 length of `url` (only a non-ASCII base URL makes it differ from `url.length`). */
function byteLength(url: string): number {
  return new TextEncoder().encode(url).length;
}

/** One call ready to send: its name and its already-serialized JSON args. */
export interface WireCall {
  name: string;
  /** `JSON.stringify` of the args object, done when the call was made. */
  json: string;
  query: boolean;
}

/** Sends protocol v1 requests for one client configuration. */
export class Transport {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly credentials: RequestCredentials;
  private readonly headers: HeadersOption | undefined;
  private readonly csrf: () => string | null | undefined;

  constructor(options: ClientOptions) {
    this.baseUrl = (options.baseUrl ?? "/api/mizan").replace(/\/+$/, "");
    // Looked up per call (and never called as a method) so a late polyfill or
    // test stub is honoured and browsers do not throw "Illegal invocation".
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.credentials = options.credentials ?? "same-origin";
    this.headers = options.headers;
    this.csrf = options.csrf === false ? () => undefined : (options.csrf ?? csrfFromCookie);
  }

  /**
   * Sends one call to `call/{name}`: `GET ?input=` for a query whose URL fits
   * in {@link MAX_GET_URL_BYTES}, `POST` otherwise.
   */
  async call(call: WireCall, signal: AbortSignal | undefined): Promise<Outcome> {
    const path = `${this.baseUrl}/call/${encodeURIComponent(call.name)}`;
    if (call.query) {
      const url = call.json === "{}" ? path : `${path}?input=${encodeURIComponent(call.json)}`;
      if (byteLength(url) <= MAX_GET_URL_BYTES) {
        const what = `GET ${path}`;
        return decodeCallResponse(await this.send(url, "GET", undefined, signal, what), what);
      }
    }
    const what = `POST ${path}`;
    return decodeCallResponse(await this.send(path, "POST", call.json, signal, what), what);
  }

  /** Sends several calls as one `POST batch`; one outcome per call, in order. */
  async batch(calls: readonly WireCall[], signal: AbortSignal | undefined): Promise<Outcome[]> {
    const url = `${this.baseUrl}/batch`;
    const what = `POST ${url}`;
    const body = `[${calls.map((c) => `{"fn":${JSON.stringify(c.name)},"args":${c.json}}`).join(",")}]`;
    return decodeBatchResponse(await this.send(url, "POST", body, signal, what), what, calls.length);
  }

  private async send(
    url: string,
    method: "GET" | "POST",
    body: string | undefined,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<Response> {
    const headers = new Headers({ accept: "application/json" });
    if (body !== undefined) headers.set("content-type", "application/json");
    const extra = typeof this.headers === "function" ? await this.headers() : this.headers;
    for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
    if (method === "POST") {
      const token = this.csrf();
      if (token) headers.set(CSRF_HEADER, token);
    }
    const init: RequestInit = { method, headers, credentials: this.credentials };
    if (body !== undefined) init.body = body;
    if (signal) init.signal = signal;
    try {
      return await this.fetchImpl(url, init);
    } catch (e) {
      if (signal?.aborted || isAbortError(e)) throw e;
      throw networkError(what, e);
    }
  }
}
