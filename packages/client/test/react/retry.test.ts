import { describe, expect, it } from "vitest";
import { MizanError } from "../../src/index";
import { createQueryClient, isTransientError, MAX_QUERY_RETRIES, retryTransient } from "../../src/react/index";

const err = (code: string, status: number) => new MizanError({ code, status, message: code });

describe("retry defaults", () => {
  it("treats NETWORK, UNAVAILABLE, TIMEOUT and gateway BAD_RESPONSEs as transient", () => {
    expect(isTransientError(err("NETWORK", 0))).toBe(true);
    expect(isTransientError(err("UNAVAILABLE", 503))).toBe(true);
    expect(isTransientError(err("TIMEOUT", 504))).toBe(true);
    expect(isTransientError(err("BAD_RESPONSE", 502))).toBe(true);
    expect(isTransientError(err("BAD_RESPONSE", 200))).toBe(false);
  });

  it("does not retry client errors, INTERNAL, handler codes or foreign errors", () => {
    for (const [code, status] of [
      ["BAD_REQUEST", 400],
      ["VALIDATION", 422],
      ["UNAUTHENTICATED", 401],
      ["FORBIDDEN", 403],
      ["CSRF", 403],
      ["NOT_FOUND", 404],
      ["RATE_LIMITED", 429],
      ["INTERNAL", 500],
      ["OUT_OF_STOCK", 409],
    ] as const) {
      expect(retryTransient(0, err(code, status))).toBe(false);
    }
    expect(retryTransient(0, new TypeError("x"))).toBe(false);
  });

  it("retries at most twice", () => {
    expect(MAX_QUERY_RETRIES).toBe(2);
    expect(retryTransient(0, err("NETWORK", 0))).toBe(true);
    expect(retryTransient(1, err("NETWORK", 0))).toBe(true);
    expect(retryTransient(2, err("NETWORK", 0))).toBe(false);
  });

  it("createQueryClient installs it for queries and lets config win", () => {
    expect(createQueryClient().getDefaultOptions().queries?.retry).toBe(retryTransient);
    const custom = createQueryClient({ defaultOptions: { queries: { retry: 5, staleTime: 10 } } });
    expect(custom.getDefaultOptions().queries?.retry).toBe(5);
    expect(custom.getDefaultOptions().queries?.staleTime).toBe(10);
    expect(createQueryClient().getDefaultOptions().mutations?.retry).toBeUndefined();
  });
});
