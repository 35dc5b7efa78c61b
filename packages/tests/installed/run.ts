/**
 * Runs in the temp project `installed.test.mjs` makes: hello's generated
 * client, compiled with the installed typescript, calling a real hello
 * server through the installed `@mizan/client` (its `dist/`). Answers what
 * came back for the test to check.
 */

import { configure } from "@mizan/client";
import { echo, EchoOutputSchema, greet, MizanError, textLength } from "./generated/index.js";

/** What `run` saw: results, the requests' methods and paths, the React entry's exports. */
export interface RunResult {
  echoed: { message: string };
  length: number;
  validation: string;
  requests: string[];
  reactEntry: string[];
}

export async function run(baseUrl: string): Promise<RunResult> {
  const requests: string[] = [];
  configure({
    baseUrl,
    fetch: (input, init) => {
      requests.push(`${init.method ?? "GET"} ${input.slice(baseUrl.length).replace(/\?.*/, "?…")}`);
      return fetch(input, init);
    },
  });
  const echoed = EchoOutputSchema.parse(await echo({ text: "hi from the packed client" }));
  const length = await textLength({ text: "x".repeat(5000) });
  let validation = "";
  try {
    await greet({ name: "" });
  } catch (e) {
    validation = e instanceof MizanError ? e.code : `not a MizanError: ${String(e)}`;
  }
  // The React entry loads in Node too (react, @tanstack/react-query, react-hook-form).
  const react: Record<string, unknown> = await import("./generated/react.js");
  const reactEntry = ["useEcho", "useGreet", "useContactForm", "GreetProvider"].filter((name) => name in react);
  return { echoed, length, validation, requests, reactEntry };
}
