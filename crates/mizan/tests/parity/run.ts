// Runs the generated Zod schemas over the parity cases (see ../parity.rs).
//
// bun run.ts GENERATED_DIR CASES_JSON
//   CASES_JSON: [{"schema": "OrderInputSchema", "input": "<JSON text>"}, …]
// prints one JSON array on stdout, per case:
//   {"ok": true} or {"ok": false, "issues": [{"path", "code", "message", "keys"?}]}
// The input travels as JSON text and goes through JSON.parse here, exactly
// as the server receives it.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [dir, casesFile] = process.argv.slice(2);
if (!dir || !casesFile) {
  console.error("usage: bun run.ts GENERATED_DIR CASES_JSON");
  process.exit(2);
}
const schemas: Record<string, unknown> = await import(join(resolve(dir), "schemas.ts"));
type Issue = { path: PropertyKey[]; code: string; message: string; keys?: string[] };
type Parsable = { safeParse(v: unknown): { success: true } | { success: false; error: { issues: Issue[] } } };
const cases: { schema: string; input: string }[] = JSON.parse(readFileSync(casesFile, "utf8"));
const out = cases.map(({ schema, input }) => {
  const s = schemas[schema] as Parsable | undefined;
  if (!s || typeof s.safeParse !== "function") throw new Error(`no schema ${schema} in ${dir}/schemas.ts`);
  const r = s.safeParse(JSON.parse(input));
  if (r.success) return { ok: true };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      code: i.code,
      message: i.message,
      ...(i.keys ? { keys: i.keys } : {}),
    })),
  };
});
process.stdout.write(JSON.stringify(out));
