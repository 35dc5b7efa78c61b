/**
 * Type-level checks of the generated client (`./generated/index.js`,
 * React-free, and `./generated/react.js`, its hooks and providers): compiled
 * by `tsc -b` under both resolutions (see tsconfig.test.json and
 * tsconfig.nodenext.json), never run. Each `@ts-expect-error`
 * fails the build if the line below it type-checks, so wrong argument
 * types, missing or unknown arguments and wrong result uses stay rejected.
 */

import { createElement } from "react";
import {
  echo,
  greet,
  MizanError,
  mizanFunctions,
  mizanMayCall,
  stats,
  whoami,
  type EchoInput,
  type EchoOutput,
  type GreetOutput,
  type MizanFunctionName,
  type WhoamiOutput,
} from "./generated/index.js";
import { GreetProvider, useCurrentUser, useEcho, useGreet } from "./generated/react.js";
import { MizanError as RuntimeMizanError } from "@mizan/client";

export async function accepted(): Promise<void> {
  const out: EchoOutput = await echo({ text: "hi" });
  const message: string = out.message;
  const hello: GreetOutput = await greet({ name: "Ada" }, { signal: new AbortController().signal });
  const me: WhoamiOutput = await whoami();
  const meToo = await whoami({});
  const n: number = (await stats()).functions;
  const role: string = me.role;
  void [message, hello, meToo, n, role];

  // The generated MizanError is the runtime's class, so instanceof works.
  const same: typeof RuntimeMizanError = MizanError;
  void same;

  const kind: "mutation" = mizanFunctions.echo.kind;
  const level: "staff" = mizanFunctions.stats.auth;
  const name: MizanFunctionName = "greet";
  void [kind, level, mizanMayCall(name, "public")];
}

export async function rejected(): Promise<void> {
  // @ts-expect-error text must be a string
  await echo({ text: 1 });
  // @ts-expect-error the argument object is required
  await echo();
  // @ts-expect-error text is missing
  await echo({});
  // @ts-expect-error unknown key
  await echo({ text: "hi", extra: true });
  // @ts-expect-error wrong argument name
  await greet({ nom: "Ada" });
  // @ts-expect-error whoami takes no arguments
  await whoami({ id: "ada" });
  // @ts-expect-error null is not an argument object
  await greet(null);

  const out = await echo({ text: "hi" });
  // @ts-expect-error EchoOutput has no `text`
  void out.text;
  // @ts-expect-error greet returns a string
  const wrong: number = await greet({ name: "Ada" });
  void wrong;

  // @ts-expect-error no such function in the manifest
  mizanMayCall("nope", "public");
  // @ts-expect-error no such auth level
  mizanMayCall("echo", "admin");

  const input: EchoInput = { text: "x" };
  // @ts-expect-error EchoInput.text is a string
  input.text = 2;
}

/** Hooks are only type-checked here (calling them outside a component is never run). */
export function hooks(): void {
  const mutation = useEcho({ onSuccess: (data) => void data.message });
  mutation.mutate({ text: "hi" });
  // @ts-expect-error mutate takes EchoInput
  mutation.mutate({ text: 1 });
  const message: string | undefined = mutation.data?.message;
  const code: string | undefined = mutation.error?.code;
  const fields: Record<string, string[]> | undefined = mutation.error?.fields;
  void [message, code, fields];

  // greet is a local context: its provider takes the arguments, useGreet() none.
  const query = useGreet();
  const greeting: string | undefined = query.data;
  void greeting;
  // @ts-expect-error useGreet takes no arguments: <GreetProvider name=…> has them
  useGreet({ name: "Ada" });
  const provided = createElement(GreetProvider, { name: "Ada" });
  // @ts-expect-error GreetProvider needs GreetInput
  createElement(GreetProvider, { name: 1 });

  // current_user is a global context: hydrated from the page, typed like its output.
  const user = useCurrentUser();
  const id: string | undefined = user.data?.id;
  const signedOut: boolean = user.data === null;
  // @ts-expect-error a global context takes no arguments, only query options
  useCurrentUser({ id: "ada" });
  void [provided, id, signedOut];
}
