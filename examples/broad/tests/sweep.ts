// The Zod side of the broad app's parity sweep (tests/it/sweep/): one
// process per input type, inputs streamed in as NDJSON.
//
// bun sweep.ts GENERATED_DIR SCHEMA
//   stdin:  one JSON text per line (each goes through JSON.parse here,
//           exactly as the server receives it)
//   stdout: one answer per line, in order:
//           {"ok":true} or {"ok":false,"issues":[{"path","code","message","keys"?}]}
import { join, resolve } from "node:path";

const [dir, name] = process.argv.slice(2);
if (!dir || !name) {
  console.error("usage: bun sweep.ts GENERATED_DIR SCHEMA");
  process.exit(2);
}
type Issue = { path: PropertyKey[]; code: string; message: string; keys?: string[] };
type Parsable = { safeParse(v: unknown): { success: true } | { success: false; error: { issues: Issue[] } } };
const schemas: Record<string, unknown> = await import(join(resolve(dir), "schemas.ts"));
const schema = schemas[name] as Parsable | undefined;
if (!schema || typeof schema.safeParse !== "function") {
  console.error(`no schema ${name} in ${dir}/schemas.ts`);
  process.exit(2);
}

function answer(line: string): string {
  const r = schema!.safeParse(JSON.parse(line));
  if (r.success) return '{"ok":true}\n';
  const issues = r.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    code: i.code,
    message: i.message,
    ...(i.keys ? { keys: i.keys } : {}),
  }));
  return JSON.stringify({ ok: false, issues }) + "\n";
}

// Lines are split on "\n" only: a JSON text may hold U+2028 raw.
const decoder = new TextDecoder();
let pending = "";
for await (const chunk of Bun.stdin.stream()) {
  pending += decoder.decode(chunk, { stream: true });
  let out = "";
  let end: number;
  while ((end = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    if (line.length > 0) out += answer(line);
  }
  if (out) await Bun.write(Bun.stdout, out);
}
pending += decoder.decode();
if (pending.length > 0) await Bun.write(Bun.stdout, answer(pending));
