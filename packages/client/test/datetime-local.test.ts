import { describe, expect, it } from "vitest";
import {
  initialValues,
  isLocalInstant,
  toBrowserLocal,
  wireValues,
  withBrowserOffset,
  type FormFieldMeta,
} from "@mizan/client";

// The conversions follow the process's time zone: New York here (UTC−5,
// UTC−4 from the second Sunday of March), so offsets are not zero.
process.env["TZ"] = "America/New_York";

const field = (
  name: string,
  widget: FormFieldMeta["widget"],
  format: string | null,
  required = true,
): FormFieldMeta => ({
  name,
  label: name,
  widget,
  required,
  choices: null,
  initial: null,
  help_text: null,
  constraints: format === null ? {} : { format },
});

describe("withBrowserOffset", () => {
  it("runs in New York", () => {
    expect(new Date(2025, 0, 15).getTimezoneOffset()).toBe(300);
  });

  it("adds the offset at that local time, seconds written out, the fraction kept", () => {
    expect(withBrowserOffset("2025-03-01T09:30")).toBe("2025-03-01T09:30:00-05:00");
    expect(withBrowserOffset("2025-07-01T09:30:15")).toBe("2025-07-01T09:30:15-04:00");
    expect(withBrowserOffset("2025-07-01T09:30:15.123")).toBe("2025-07-01T09:30:15.123-04:00");
    expect(withBrowserOffset("0001-01-01T00:00")).toMatch(/^0001-01-01T00:00:00-04:56$/u);
    expect(withBrowserOffset("0050-06-01T12:00")).toMatch(/^0050-06-01T12:00:00-/u);
  });

  it("reads a skipped local time as the hour after, a repeated one as its first", () => {
    expect(withBrowserOffset("2025-03-09T02:30")).toBe("2025-03-09T03:30:00-04:00");
    expect(withBrowserOffset("2025-11-02T01:30")).toBe("2025-11-02T01:30:00-04:00");
  });

  it("leaves anything else for the schema to judge", () => {
    const others = ["", "2025-03-01T09:30:00Z", "2025-03-01T09:30:00-05:00", "2025-02-30T09:30", "2025-03-01T24:00"];
    for (const value of [...others, "2025-03-01 09:30", "09:30", 5, null, undefined]) {
      expect(withBrowserOffset(value)).toBe(value);
    }
  });
});

describe("toBrowserLocal", () => {
  it("shows an instant as the browser's local time", () => {
    expect(toBrowserLocal("2025-03-01T14:30:00Z")).toBe("2025-03-01T09:30:00");
    expect(toBrowserLocal("2025-07-01t13:30:15.123456z")).toBe("2025-07-01T09:30:15.123");
    expect(toBrowserLocal("2025-03-01T09:30:00+01:00")).toBe("2025-03-01T03:30:00");
    expect(toBrowserLocal("2025-03-01T09:30")).toBe("2025-03-01T09:30");
    expect(toBrowserLocal(7)).toBe(7);
  });

  it("is the reverse of withBrowserOffset", () => {
    for (const local of ["2025-03-01T09:30:00", "2025-07-01T23:59:59.5", "1999-12-31T19:00:00"]) {
      expect(toBrowserLocal(withBrowserOffset(local))).toBe(local);
    }
  });
});

describe("wireValues", () => {
  const fields = [
    field("starts", "datetime-local", "date-time"),
    field("local", "datetime-local", "partial-date-time"),
    field("day", "date", "date"),
    field("note", "text", null, false),
  ];

  it("gives instants in datetime-local inputs the browser's offset, and only them", () => {
    expect(fields.map(isLocalInstant)).toEqual([true, false, false, false]);
    const values = { starts: "2025-03-01T09:30", local: "2025-03-01T09:30", day: "2025-03-01", note: "" };
    expect(wireValues(values, fields)).toEqual({
      starts: "2025-03-01T09:30:00-05:00",
      local: "2025-03-01T09:30",
      day: "2025-03-01",
    });
    // The form's own values are left alone.
    expect(values.starts).toBe("2025-03-01T09:30");
  });

  it("leaves an absent instant absent", () => {
    expect(wireValues({ local: "2025-03-01T09:30" }, fields)).toEqual({ local: "2025-03-01T09:30" });
  });
});

describe("initialValues", () => {
  it("shows an initial instant in a datetime-local input as local time, other dates as they are", () => {
    const starts = { ...field("starts", "datetime-local", "date-time"), initial: "2025-03-01T14:30:00Z" };
    const local = { ...field("local", "datetime-local", "partial-date-time"), initial: "2025-03-01T14:30" };
    const day = { ...field("day", "date", "date"), initial: "2025-03-01" };
    expect(initialValues([starts, local, day])).toEqual({
      starts: "2025-03-01T09:30:00",
      local: "2025-03-01T14:30",
      day: "2025-03-01",
    });
  });
});
