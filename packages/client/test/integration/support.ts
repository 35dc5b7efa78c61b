/**
 * Helpers shared by the integration tests: the running server's URL and a
 * `fetch` that records every request it sends.
 */

import { inject } from "vitest";
import { isMizanError, type FetchLike, type MizanError } from "@mizan/client";

/** `http://HOST:PORT/api/mizan` of the `hello` server started by global-setup.ts. */
export const baseUrl: string = inject("mizanBaseUrl");
/** `http://HOST:PORT` of the same server. */
export const origin: string = inject("helloOrigin");

/** Demo bearer tokens of examples/hello (see its README). */
export const TOKENS = {
  user: "hello-user-token",
  staff: "hello-staff-token",
  superuser: "hello-superuser-token",
} as const;

/** The stored user global-setup.ts creates with `hello createuser`. */
export const ACCOUNT = { username: "vitest", password: "vitest account password" } as const;

export const bearer = (who: keyof typeof TOKENS): Record<string, string> => ({
  authorization: `Bearer ${TOKENS[who]}`,
});

/** One request as the wrapped fetch saw it. */
export interface SentRequest {
  method: string;
  /** The URL relative to the API base, e.g. `call/greet?input=…` or `batch`. */
  path: string;
  body: string | undefined;
  headers: Headers;
}

/** A `fetch` that forwards to the global fetch and records each request. */
export function recordingFetch(): { fetch: FetchLike; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({
      method: init.method ?? "GET",
      path: input.startsWith(`${baseUrl}/`) ? input.slice(baseUrl.length + 1) : input,
      body: typeof init.body === "string" ? init.body : undefined,
      headers: new Headers(init.headers),
    });
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}

/** Awaits `p`, expecting it to reject with a MizanError, and returns that error. */
export async function rejection(p: Promise<unknown>): Promise<MizanError> {
  try {
    await p;
  } catch (e) {
    if (isMizanError(e)) return e;
    throw new Error(`expected a MizanError, got ${String(e)}`, { cause: e });
  }
  throw new Error("expected the call to reject, it resolved");
}
