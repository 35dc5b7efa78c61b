import { describe, expect, it } from "vitest";
import { fieldErrors, isMizanError, MizanError, statusForCode } from "../src/index";

describe("MizanError", () => {
  it("carries code, status, fields, issues and request id", () => {
    const cause = new TypeError("x");
    const e = new MizanError({
      code: "VALIDATION",
      status: 422,
      message: "bad input",
      fields: { text: ["too short"] },
      issues: [{ path: ["text"], code: "too_small", message: "too short" }],
      requestId: "r1",
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("MizanError");
    expect(e.message).toBe("bad input");
    expect(e.code).toBe("VALIDATION");
    expect(e.status).toBe(422);
    expect(e.fields).toEqual({ text: ["too short"] });
    expect(e.issues[0]?.path).toEqual(["text"]);
    expect(e.requestId).toBe("r1");
    expect(e.cause).toBe(cause);
  });

  it("defaults fields and issues to empty and omits requestId", () => {
    const e = new MizanError({ code: "OUT_OF_STOCK", status: 409, message: "gone" });
    expect(e.fields).toEqual({});
    expect(e.issues).toEqual([]);
    expect("requestId" in e).toBe(false);
  });
});

describe("isMizanError", () => {
  it("accepts instances and same-shaped errors from another copy of the package", () => {
    expect(isMizanError(new MizanError({ code: "NETWORK", status: 0, message: "x" }))).toBe(true);
    const foreign = Object.assign(new Error("x"), { name: "MizanError", code: "NOT_FOUND", status: 404, fields: {} });
    expect(isMizanError(foreign)).toBe(true);
  });

  it("rejects other values", () => {
    expect(isMizanError(new Error("x"))).toBe(false);
    expect(isMizanError({ name: "MizanError", code: "X", status: 1, fields: {} })).toBe(false);
    expect(isMizanError(null)).toBe(false);
    expect(isMizanError("MizanError")).toBe(false);
  });
});

describe("fieldErrors", () => {
  it("returns the fields of a MizanError and {} for anything else", () => {
    const e = new MizanError({ code: "VALIDATION", status: 422, message: "x", fields: { "": ["whole"] } });
    expect(fieldErrors(e)).toEqual({ "": ["whole"] });
    expect(fieldErrors(new Error("x"))).toEqual({});
    expect(fieldErrors(undefined)).toEqual({});
  });
});

describe("statusForCode", () => {
  it("knows protocol codes only", () => {
    expect(statusForCode("CSRF")).toBe(403);
    expect(statusForCode("RATE_LIMITED")).toBe(429);
    expect(statusForCode("NETWORK")).toBeUndefined();
    expect(statusForCode("OUT_OF_STOCK")).toBeUndefined();
    expect(statusForCode("toString")).toBeUndefined();
  });
});
