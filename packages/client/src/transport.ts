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
import type { ClientOptions, FetchLike, HeadersOption, UploadProgress } from "./options.js";
import { sendXhr } from "./xhr.js";

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
    const { response, what } = await this.open(call, signal);
    return decodeCallResponse(response, what);
  }

  /**
   * Sends one call as {@link call} does and gives its response unread (a
   * stream's lines are read as they come), `accept`ing `accept`.
   */
  async open(
    call: WireCall,
    signal: AbortSignal | undefined,
    accept = "application/json",
  ): Promise<{ response: Response; what: string }> {
    const path = `${this.baseUrl}/call/${encodeURIComponent(call.name)}`;
    if (call.query) {
      const url = call.json === "{}" ? path : `${path}?input=${encodeURIComponent(call.json)}`;
      if (byteLength(url) <= MAX_GET_URL_BYTES) {
        const what = `GET ${path}`;
        return { response: await this.send(url, "GET", undefined, signal, what, accept), what };
      }
    }
    const what = `POST ${path}`;
    return { response: await this.send(path, "POST", call.json, signal, what, accept), what };
  }

  /** Sends several calls as one `POST batch`; one outcome per call, in order. */
  async batch(calls: readonly WireCall[], signal: AbortSignal | undefined): Promise<Outcome[]> {
    const url = `${this.baseUrl}/batch`;
    const what = `POST ${url}`;
    const body = `[${calls.map((c) => `{"fn":${JSON.stringify(c.name)},"args":${c.json}}`).join(",")}]`;
    return decodeBatchResponse(await this.send(url, "POST", body, signal, what), what, calls.length);
  }

  /**
   * Sends an upload call: `form` (the `args` part, then the files) as
   * `POST call/{name}` through fetch, or through `XMLHttpRequest` when
   * `onProgress` is given, reporting progress as the body is sent.
   */
  async upload(
    name: string,
    form: FormData,
    signal: AbortSignal | undefined,
    onProgress: ((progress: UploadProgress) => void) | undefined,
  ): Promise<Outcome> {
    const url = `${this.baseUrl}/call/${encodeURIComponent(name)}`;
    const what = `POST ${url}`;
    const headers = await this.headersFor("POST", "application/json");
    if (!onProgress) {
      const init: RequestInit = { method: "POST", headers, credentials: this.credentials, body: form };
      if (signal) init.signal = signal;
      let response: Response;
      try {
        response = await this.fetchImpl(url, init);
      } catch (e) {
        if (signal?.aborted || isAbortError(e)) throw e;
        throw networkError(what, e);
      }
      return decodeCallResponse(response, what);
    }
    const response = await sendXhr(url, form, headers, this.credentials, signal, onProgress, what);
    return decodeCallResponse(response, what);
  }

  /** The headers of a request: `accept`, the configured ones, the CSRF token on a POST. */
  private async headersFor(method: "GET" | "POST", accept: string): Promise<Headers> {
    const headers = new Headers({ accept });
    const extra = typeof this.headers === "function" ? await this.headers() : this.headers;
    for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
    if (method === "POST") {
      const token = this.csrf();
      if (token) headers.set(CSRF_HEADER, token);
    }
    return headers;
  }

  private async send(
    url: string,
    method: "GET" | "POST",
    body: string | undefined,
    signal: AbortSignal | undefined,
    what: string,
    accept = "application/json",
  ): Promise<Response> {
    const headers = await this.headersFor(method, accept);
    if (body !== undefined) headers.set("content-type", "application/json");
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
