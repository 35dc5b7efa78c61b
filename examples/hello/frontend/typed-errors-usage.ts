/**
 * Type-level checks of `reserve`'s typed errors (`ReserveError`,
 * `isReserveError`, the client function and its mutation hook): compiled by
 * `tsc -b` under both resolutions (tsconfig.test.json and
 * tsconfig.nodenext.json), never run. Each `@ts-expect-error` fails the build
 * if the line below it type-checks: a wrong code, `data` on a variant without
 * any, `data` before narrowing, a wrong type for a field of `data`.
 */

import { isReserveError, reserve, MizanError, type ReserveError } from "./generated/index.js";
import { useReserve } from "./generated/react.js";

export async function narrowing(): Promise<void> {
  try {
    await reserve({ seat: 13 });
  } catch (e) {
    if (isReserveError(e, "SEAT_TAKEN")) {
      const seat: number = e.data.seat;
      const code: "SEAT_TAKEN" = e.code;
      const status: number = e.status;
      void [seat, code, status];
      // @ts-expect-error `seat` is a number
      const wrong: string = e.data.seat;
      // @ts-expect-error SEAT_TAKEN's data has no `row`
      void e.data.row;
      void wrong;
    }
    if (isReserveError(e, "SOLD_OUT")) {
      const none: undefined = e.data;
      // @ts-expect-error SOLD_OUT carries no data
      void e.data.seat;
      void none;
    }
    // mizan's own codes are in the union too.
    if (isReserveError(e, "VALIDATION")) {
      const fields: Record<string, string[]> = e.fields;
      void fields;
    }
    // @ts-expect-error `reserve` declares no SEAT_GONE, and it is no code of mizan's
    isReserveError(e, "SEAT_GONE");

    if (isReserveError(e)) {
      // @ts-expect-error `data` is not known before narrowing on `code`
      void e.data.seat;
      // Narrowing on `code` itself works like the guard with a code.
      if (e.code === "SEAT_TAKEN") {
        const seat: number = e.data.seat;
        void seat;
      }
      switch (e.code) {
        case "SOLD_OUT":
          break;
        // @ts-expect-error not a code `reserve` can reject with
        case "NOPE":
          break;
      }
      // Every member is a MizanError.
      const base: MizanError = e;
      void base;
    }
  }
}

export function Hook(): null {
  const { error, mutate } = useReserve({
    onError: (e) => {
      if (e.code === "SEAT_TAKEN") {
        const seat: number = e.data.seat;
        void seat;
      }
    },
  });
  const typed: ReserveError | null = error;
  if (error?.code === "SEAT_TAKEN") {
    const seat: number = error.data.seat;
    void seat;
  }
  // @ts-expect-error the hook's error is narrowed only by its code
  void error?.data.seat;
  mutate({ seat: 1 });
  void typed;
  return null;
}
