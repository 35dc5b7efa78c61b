/**
 * Type-level checks of the generated client (`./generated/index.js`,
 * React-free, and `./generated/react.js`, its hooks and providers): compiled
 * by `tsc -b` under both resolutions (see tsconfig.test.json and
 * tsconfig.nodenext.json), never run. Each `@ts-expect-error`
 * fails the build if the line below it type-checks, so wrong argument
 * types, missing or unknown arguments and wrong result uses stay rejected.
 */

import { createElement } from "react";
import { QueryClient, useQueries, useQuery, useSuspenseQuery } from "@tanstack/react-query";
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
  type Me,
  type MizanFunctionName,
  type WhoamiOutput,
} from "./generated/index.js";
import {
  GreetProvider,
  statsQueryOptions,
  textLengthQueryOptions,
  useCurrentUser,
  useEcho,
  useGreet,
  useTextLength,
  useTextLengthSuspense,
  useWhoami,
  useWhoamiSuspense,
  whoamiQueryOptions,
} from "./generated/react.js";
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

/**
 * Query factories with TanStack's own hooks and the QueryClient: typed data
 * and `MizanError`; and the suspense hooks, whose data is always there.
 */
export async function factories(queryClient: QueryClient): Promise<void> {
  const me: WhoamiOutput = await queryClient.ensureQueryData(whoamiQueryOptions());
  const cached: Me | undefined = queryClient.getQueryData(whoamiQueryOptions().queryKey);
  await queryClient.prefetchQuery(textLengthQueryOptions({ text: "x" }));
  const n: number = await queryClient.fetchQuery(textLengthQueryOptions({ text: "x" }));
  void [me, cached, n];

  // @ts-expect-error text_length needs its argument object
  textLengthQueryOptions();
  // @ts-expect-error text must be a string
  textLengthQueryOptions({ text: 1 });
  // @ts-expect-error whoami takes no arguments
  whoamiQueryOptions({ id: "ada" });
  // @ts-expect-error text_length's data is a number
  const wrong: string = await queryClient.ensureQueryData(textLengthQueryOptions({ text: "x" }));
  void wrong;
}

/** Hooks are only type-checked here (calling them outside a component is never run). */
export function factoryHooks(): void {
  const q = useQuery(whoamiQueryOptions());
  const role: string | undefined = q.data?.role;
  const error: MizanError | null = q.error;
  const code: string | undefined = q.error?.code;
  const length = useSuspenseQuery(textLengthQueryOptions({ text: "x" }));
  const n: number = length.data;
  const [a, b, c] = useQueries({
    queries: [whoamiQueryOptions(), textLengthQueryOptions({ text: "x" }), statsQueryOptions()],
  });
  const id: string | undefined = a.data?.id;
  const m: number | undefined = b.data;
  const functions: number | undefined = c.data?.functions;
  // @ts-expect-error the second query's data is a number
  const notText: string | undefined = b.data;
  void [role, error, code, n, id, m, functions, notText];

  const suspended = useWhoamiSuspense();
  const always: string = suspended.data.id;
  const counted: number = useTextLengthSuspense({ text: "x" }, { staleTime: 1_000 }).data;
  // @ts-expect-error useWhoami's data may be undefined; only the suspense hook's is always there
  const maybe: string = useWhoami().data.id;
  // @ts-expect-error useTextLengthSuspense needs its arguments
  useTextLengthSuspense();
  // @ts-expect-error text must be a string
  useTextLength({ text: 1 });
  // @ts-expect-error a suspense query cannot be disabled
  useWhoamiSuspense({}, { enabled: false });
  void [always, counted, maybe];
}
