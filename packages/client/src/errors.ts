/**
 * The error every mizan call rejects with, and helpers to inspect it.
 *
 * @module
 */

/** Error codes defined by wire protocol v1, with the HTTP status the server uses for each. */
export const PROTOCOL_ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_TIMEOUT: 408,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  STALE_VERSION: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
} as const;

/** A code the server sends (wire protocol v1). */
export type ProtocolErrorCode = keyof typeof PROTOCOL_ERROR_STATUS;

/**
 * A code only the client produces:
 * - `NETWORK`: no response at all (connection refused, reset, DNS, CORS); `status` is 0.
 * - `BAD_RESPONSE`: a response that is not this protocol, such as a proxy's HTML 502.
 */
export type ClientErrorCode = "NETWORK" | "BAD_RESPONSE";

/** Every code mizan itself knows. */
export type KnownErrorCode = ProtocolErrorCode | ClientErrorCode;

/**
 * The code of a {@link MizanError}: a known code, or a handler-defined one
 * (`[A-Z_]+`, e.g. `"OUT_OF_STOCK"`). The `string & {}` arm keeps editor
 * completion for the known codes while accepting any other string.
 */
export type ErrorCode = KnownErrorCode | (string & {});

/** The fixed list of issue codes of wire protocol v1. */
export type IssueCode =
  | "required"
  | "invalid_type"
  | "too_small"
  | "too_big"
  | "invalid_format"
  | "invalid_value"
  | "unknown_key"
  | "custom";

/** One structured validation problem, located by a path of wire names and indices. */
export interface Issue {
  /** Path into the input, e.g. `["items", 0, "name"]`; `[]` for the whole input. */
  path: (string | number)[];
  /** One of {@link IssueCode}; typed as `string` so a newer server cannot break decoding. */
  code: IssueCode | (string & {});
  /** Human-readable message. */
  message: string;
}

/** Field errors keyed by dotted wire path (`"items.0.name"`); `""` holds whole-input errors. */
export type FieldErrors = Record<string, string[]>;

/** Everything needed to build a {@link MizanError}. */
export interface MizanErrorInit {
  code: ErrorCode;
  message: string;
  /** HTTP status; 0 when there was no response. */
  status: number;
  fields?: FieldErrors;
  issues?: Issue[];
  requestId?: string;
  /** A typed error's payload (the error object's `data`), when it has one. */
  data?: unknown;
  /** The underlying error, if any (e.g. the `TypeError` fetch rejected with). */
  cause?: unknown;
}

/**
 * The error a mizan call rejects with.
 *
 * ```ts
 * try {
 *   await echo({ text: "" });
 * } catch (e) {
 *   if (isMizanError(e) && e.code === "VALIDATION") console.log(e.fields.text);
 * }
 * ```
 */
export class MizanError extends Error {
  override readonly name = "MizanError";
  /** Wire code, e.g. `"VALIDATION"`, `"NETWORK"` or a handler's own `"OUT_OF_STOCK"`. */
  readonly code: ErrorCode;
  /**
   * HTTP status of the response; 0 for `NETWORK`. A batched item's is the
   * `status` its error object carries (else {@link statusForCode}).
   */
  readonly status: number;
  /** Field errors by dotted wire path; `""` holds whole-input errors. Empty when none. */
  readonly fields: FieldErrors;
  /** Structured issues. Empty when none. */
  readonly issues: Issue[];
  /** The server's request id, to quote when reporting a problem (always set for `INTERNAL`). */
  declare readonly requestId?: string;
  /**
   * A typed error's payload: absent for mizan's own codes and for a variant
   * without data. Narrow on `code` (a generated `isReserveError(e, "SEAT_TAKEN")`)
   * to read it typed.
   */
  declare readonly data?: unknown;

  constructor(init: MizanErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.fields = init.fields ?? {};
    this.issues = init.issues ?? [];
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.data !== undefined) this.data = init.data;
  }
}

/**
 * Whether `e` is a {@link MizanError}. Also recognises instances from another
 * copy of this package (duplicated bundles), by shape.
 */
export function isMizanError(e: unknown): e is MizanError {
  if (e instanceof MizanError) return true;
  if (!(e instanceof Error) || e.name !== "MizanError") return false;
  const x = e as Partial<MizanError>;
  return typeof x.code === "string" && typeof x.status === "number" && typeof x.fields === "object";
}

/**
 * The field errors of `e` if it is a {@link MizanError}, else `{}`: handy in a
 * `catch` or a mutation's `onError` without narrowing first.
 */
export function fieldErrors(e: unknown): FieldErrors {
  return isMizanError(e) ? e.fields : {};
}

/**
 * The HTTP status wire protocol v1 assigns to `code`, or `undefined` for a
 * client-only or handler-defined code.
 */
export function statusForCode(code: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(PROTOCOL_ERROR_STATUS, code)
    ? PROTOCOL_ERROR_STATUS[code as ProtocolErrorCode]
    : undefined;
}

/**
 * A {@link MizanError} with code `C` and, when `D` is given, `data` of type
 * `D` (without `D`, no `data`): one member of a generated function's error
 * union (`ReserveError`), which narrows on `code`.
 */
export type TypedMizanError<C extends string, D = never> = MizanError & {
  readonly code: C;
} & ([D] extends [never] ? { readonly data?: undefined } : { readonly data: D });

/**
 * A {@link MizanError} with one of the codes mizan itself defines (server or
 * client), as a union of one member per code, so it narrows on `code` too. A
 * function that declares its errors rejects with these or its own.
 */
export type FrameworkMizanError = { [C in KnownErrorCode]: TypedMizanError<C> }[KnownErrorCode];

/**
 * Whether `e` is a {@link MizanError} with code `code`, or, without `code`,
 * with one of `declared` or a code mizan defines. What generated guards
 * (`isReserveError(e, "SEAT_TAKEN")`) call.
 */
export function isMizanErrorIn(e: unknown, declared: readonly string[], code?: string): e is MizanError {
  if (!isMizanError(e)) return false;
  if (code !== undefined) return e.code === code;
  return declared.includes(e.code) || statusForCode(e.code) !== undefined || e.code === "NETWORK" || e.code === "BAD_RESPONSE";
}
