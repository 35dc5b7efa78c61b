/**
 * Abort helpers shared by the transport and the batcher.
 *
 * @module
 * @internal
 */

/**
 * The error an aborted call rejects with: the signal's `reason` (a
 * `DOMException` named `AbortError` unless the caller passed a reason to
 * `abort()`), the same value `fetch` rejects with.
 */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Whether `e` is an abort (or abort-signal timeout) rejection rather than a failure. */
export function isAbortError(e: unknown): boolean {
  return (
    typeof e === "object" &&
    e !== null &&
    "name" in e &&
    ((e as { name: unknown }).name === "AbortError" || (e as { name: unknown }).name === "TimeoutError")
  );
}
