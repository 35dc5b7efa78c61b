/**
 * An upload sent through `XMLHttpRequest`, the one browser API that reports
 * how much of a request body has been sent; its answer read back as a
 * `Response` so it is decoded like any call's.
 *
 * @module
 * @internal
 */

import { abortReason } from "./abort.js";
import { networkError } from "./decode.js";
import type { UploadProgress } from "./options.js";

/** Sends `body` to `url` as a POST, calling `onProgress` as it goes. */
export function sendXhr(
  url: string,
  body: FormData,
  headers: Headers,
  credentials: RequestCredentials,
  signal: AbortSignal | undefined,
  onProgress: (progress: UploadProgress) => void,
  what: string,
): Promise<Response> {
  const Xhr = globalThis.XMLHttpRequest;
  if (typeof Xhr !== "function") {
    return Promise.reject(new TypeError("mizan: onUploadProgress needs XMLHttpRequest, which this runtime lacks"));
  }
  return new Promise<Response>((resolve, reject) => {
    const xhr = new Xhr();
    xhr.open("POST", url);
    xhr.withCredentials = credentials === "include";
    headers.forEach((value, name) => xhr.setRequestHeader(name, value));
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : undefined });
    xhr.onload = () => {
      const type = xhr.getResponseHeader("content-type");
      const init: ResponseInit = { status: xhr.status };
      if (type) init.headers = { "content-type": type };
      resolve(new Response(xhr.responseText, init));
    };
    xhr.onerror = () => reject(networkError(what, new Error("the upload failed before an answer arrived")));
    const abort = () => {
      xhr.abort();
      reject(signal ? abortReason(signal) : new DOMException("aborted", "AbortError"));
    };
    if (signal) {
      if (signal.aborted) return abort();
      signal.addEventListener("abort", abort, { once: true });
      xhr.onloadend = () => signal.removeEventListener("abort", abort);
    }
    xhr.send(body);
  });
}
