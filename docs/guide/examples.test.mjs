// Type-checks the guide's TypeScript: every ```ts and ```tsx block of
// docs/guide/*.md is written to its own file in a temporary directory
// inside examples/hello/frontend, beside hello's generated client (linked
// as ./generated), and the lot is checked by tsc under the workspace's
// strict settings. A block that does not type-check fails the test, named
// by its page and line. Run with `node --test docs/guide/`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const guide = dirname(fileURLToPath(import.meta.url));
const root = resolve(guide, "../..");
const frontend = join(root, "examples/hello/frontend");

/** Every ```ts / ```tsx block of every page: { page, line, lang, code }. */
function blocks() {
  const out = [];
  for (const page of readdirSync(guide).filter((f) => f.endsWith(".md")).sort()) {
    const lines = readFileSync(join(guide, page), "utf8").split("\n");
    let open = null;
    lines.forEach((text, i) => {
      if (open === null) {
        const m = /^```(ts|tsx)\s*$/.exec(text);
        if (m) open = { page, line: i + 1, lang: m[1], code: [] };
      } else if (text.startsWith("```")) {
        out.push({ ...open, code: open.code.join("\n") + "\n" });
        open = null;
      } else {
        open.code.push(text);
      }
    });
    assert.equal(open, null, `${page}: a code block opened at line ${open?.line} is never closed`);
  }
  return out;
}

test("every TypeScript block of the guide type-checks against hello's generated client", () => {
  const all = blocks();
  assert.ok(all.length >= 10, `only ${all.length} TypeScript blocks found`);
  const dir = mkdtempSync(join(frontend, ".guide-examples-"));
  try {
    symlinkSync("../generated", join(dir, "generated"));
    const names = new Map();
    for (const [i, b] of all.entries()) {
      const name = `${b.page.replace(/\.md$/, "")}-${b.line}.${b.lang}`;
      names.set(name, b);
      // Each block is a module of its own, even one with no import.
      writeFileSync(join(dir, name), `${b.code}export {};\n`);
      void i;
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: "../../../../tsconfig.base.json",
        compilerOptions: { noEmit: true, types: [], noUnusedLocals: false },
        include: ["*.ts", "*.tsx"],
      }),
    );
    const tsc = join(root, "node_modules/.bin/tsc");
    let output = "";
    try {
      execFileSync(tsc, ["-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: root, encoding: "utf8" });
    } catch (e) {
      output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
    }
    // Name each error by its page and line in the guide.
    const explained = output.replace(/[^\s(]*\.guide-examples-[^/]*\/([a-z-]+)-(\d+)\.(tsx?)\((\d+),(\d+)\)/g,
      (_m, page, start, _lang, line, col) => `docs/guide/${page}.md:${Number(start) + Number(line)}:${col}`);
    assert.equal(explained, "", `the guide's TypeScript does not type-check:\n${explained}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
