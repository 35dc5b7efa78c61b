/**
 * A browser's `<input type="datetime-local">` bound to an instant (a field
 * whose format is `date-time`, a `DateTime<Utc>` on the server): the input
 * holds a local date and time without an offset, the wire wants RFC 3339
 * with one (docs/protocol.md, "Dates, times and ids"). The browser's time
 * zone decides the offset, for the local time given.
 *
 * @module
 */

/** What a `datetime-local` input holds: seconds and a fraction optional. */
const LOCAL = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]{1,9})?)?$/u;

/** An RFC 3339 date-time with an offset, as the wire has it. */
const INSTANT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))$/u;

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** A local date and time in the browser's zone (years below 100 are not 1900 + year). */
function localDate(year: number, month: number, day: number, hour: number, minute: number, second: number): Date {
  const date = new Date(2000, 0, 1, 0, 0, 0, 0);
  date.setFullYear(year, month - 1, day);
  date.setHours(hour, minute, second, 0);
  return date;
}

/** `Date`'s local fields, `YYYY-MM-DDThh:mm:ss`. */
function localFields(date: Date): string {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/**
 * A `datetime-local` value (`2025-03-01T09:30`) with the browser's offset
 * at that local time added (`2025-03-01T09:30:00-05:00` in New York), the
 * seconds written out and a fraction kept as typed. A local time the zone
 * skips (a daylight-saving gap) is the browser's `Date` reading of it, the
 * hour after; one it repeats is its first occurrence. An offset with
 * seconds (a zone's local mean time, before 1900) is rounded to the minute.
 * Anything else (a blank input, a value with an offset already, a date
 * that does not exist) is returned as it is, for the schema to judge.
 */
export function withBrowserOffset(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const m = LOCAL.exec(value);
  if (m === null) return value;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? "0")) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = localDate(year, month, day, hour, minute, second);
  const sameDay = date.getFullYear() === year && date.getMonth() + 1 === month && date.getDate() === day;
  if (!sameDay || hour > 23 || minute > 59 || second > 59 || Number.isNaN(date.getTime())) return value;
  const east = Math.round(-date.getTimezoneOffset());
  const offset = `${east < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(east) / 60))}:${pad(Math.abs(east) % 60)}`;
  return `${localFields(date)}${m[7] ?? ""}${offset}`;
}

/**
 * The reverse, to show an instant in a `datetime-local` input: an RFC 3339
 * date-time (`2025-03-01T14:30:00Z`) as the browser's local date and time
 * (`2025-03-01T09:30:00` in New York), its fraction cut to the
 * milliseconds an input holds. Anything else is returned as it is.
 */
export function toBrowserLocal(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const m = INSTANT.exec(value);
  if (m === null) return value;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const east = m[8] !== undefined ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute - east, second, 0);
  if (Number.isNaN(utc.getTime())) return value;
  return `${localFields(utc)}${(m[7] ?? "").slice(0, 4)}`;
}
