/**
 * Options of {@link createClient} and of a single call.
 *
 * @module
 */

/** The subset of `fetch` the client uses; `globalThis.fetch` satisfies it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Extra request headers: a fixed object, or a function called for every HTTP request (may be async). */
export type HeadersOption =
  | Record<string, string>
  | (() => Record<string, string> | Promise<Record<string, string>>);

/** Options of {@link createClient}. Every field is optional. */
export interface ClientOptions {
  /** URL prefix the mizan router is mounted at, absolute or relative. Default `"/api/mizan"`. */
  baseUrl?: string;
  /** The fetch implementation. Default: `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike;
  /** `fetch` credentials mode. Default `"same-origin"`. */
  credentials?: RequestCredentials;
  /**
   * Headers added to every request, e.g. `() => ({ authorization: \`Bearer ${token()}\` })`.
   * A function is called once per HTTP request (once per batch), so a refreshed token is picked up.
   */
  headers?: HeadersOption;
  /** Merge calls made in the same tick into one `POST batch`. Default `true`. */
  batch?: boolean;
  /** Most calls per batch request; larger queues are split. Default 50, the server's default limit. */
  maxBatch?: number;
  /**
   * Where the CSRF token sent as `x-mizan-csrf` on POST requests comes from.
   * Default: the `mizan_csrf` cookie, read from `document.cookie` when present.
   * A function returning the token (or nothing) replaces that; `false` never sends the header.
   */
  csrf?: false | (() => string | null | undefined);
}

/** Per-call options generated functions accept. */
export interface CallOptions {
  /** Aborts the call: its promise rejects with the signal's reason (an `AbortError`). */
  signal?: AbortSignal;
}

/** How far an upload's body has been sent. */
export interface UploadProgress {
  /** Bytes of the multipart body sent so far. */
  loaded: number;
  /** The body's whole size in bytes, when known. */
  total: number | undefined;
}

/** Per-call options of a function that takes files. */
export interface UploadOptions extends CallOptions {
  /**
   * Called as the body is sent. Given, the call goes through
   * `XMLHttpRequest` (fetch cannot report upload progress); otherwise through fetch.
   */
  onUploadProgress?: (progress: UploadProgress) => void;
}

/** Options of {@link MizanClient.call}: {@link CallOptions} plus what generated code fills in. */
export interface ClientCallOptions extends CallOptions {
  /** The function is a query: sent as `GET call/{name}` when not batched. Default `false`. */
  query?: boolean;
  /** Set `false` to send this call on its own even when batching is on. */
  batch?: boolean;
}
