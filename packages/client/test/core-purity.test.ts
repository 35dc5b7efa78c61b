import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "react" ? [] : coreFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe("core (src/ outside src/react/)", () => {
  it("imports nothing but its own modules", () => {
    const files = coreFiles(SRC);
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']/g)]
        .map((m) => m[1] ?? m[2] ?? "")
        .filter((spec) => !spec.startsWith("./") && !spec.startsWith("../"))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
