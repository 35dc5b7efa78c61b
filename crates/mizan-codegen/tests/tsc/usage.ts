// Hand-written: exercises the generated API the way an app does, so
// `tsc --strict` checks the signatures, not only that the files compile.
import { createElement } from "react";
import { QueryClient, useInfiniteQuery, useQueries, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import {
  ChatParamsSchema,
  contact,
  ContactFormValuesSchema,
  type ContactFormValues,
  MizanError,
  ShapeSchema,
  contactSubmit,
  createPost,
  currentUser,
  echo,
  greet,
  listPosts,
  mizanChannels,
  mizanFunctions,
  mizanMayCall,
  stats,
  subscribeChat,
  subscribePriceTicker,
  type ChatClientMessage,
  type ChatMessage,
  type ChatParams,
  type MizanChannelName,
  type NewPost,
  type Post,
  type PriceTickerClientMessage,
  type PriceTickerMessage,
  type Shape,
  type User,
} from "./generated/index.js";
import {
  GreetProvider,
  useContactForm,
  useChatChannel,
  getUserQueryOptions,
  listPostsQueryOptions,
  statsQueryOptions,
  useCreatePost,
  useCurrentUser,
  useGetUserSuspense,
  useListPostsSuspense,
  useGreet,
  useEcho,
  useListPosts,
  usePriceTickerChannel,
  useStats,
} from "./generated/react.js";
import type * as Generated from "./generated/react.js";
import * as G from "./generated/react.js";
import type * as ReactFree from "./generated/index.js";

export async function calls(): Promise<void> {
  const out = await echo({ text: "hi" });
  const message: string = out.message;
  // @ts-expect-error a required argument is missing
  await echo({});
  // @ts-expect-error wrong argument type
  await echo({ text: 1 });
  const posts: Post[] = await listPosts({ page: 1, tag: null });
  const firstId: string | undefined = posts[0]?.id;
  await listPosts({});
  await stats();
  const user: User | null = await currentUser();
  const hello: string = await greet({ name: "World" }, { signal: new AbortController().signal });
  const nothing: null = await contactSubmit({ email: "a@b.c", message: "hi" });
  const post: NewPost = {
    title: "Hello",
    author_email: "a@b.c",
    slug: "hello",
    tags: [{ label: "x" }],
    score: 1,
    weight: 0,
    "full-name": "A B",
  };
  await createPost({ post });
  try {
    await echo({ text: "x" });
  } catch (error) {
    if (error instanceof MizanError) {
      const code: string = error.code;
      void code;
    }
  }
  void [message, firstId, user, hello, nothing];
}

export function useEverything(): void {
  const mutation = useEcho({ onSuccess: (data) => void data.message });
  mutation.mutate({ text: "x" });
  const query = useListPosts({ page: 2 });
  const data: Post[] | undefined = query.data;
  const counters = useStats();
  const when: string | undefined = counters.data?.when;
  useCreatePost().mutate({ post: { title: "t", author_email: "a@b.c", slug: "t", tags: [], score: 0, weight: 0, "full-name": "n" } });
  void [data, when];
}

// Queries: a `queryOptions` factory (for TanStack's own hooks and the
// QueryClient, typed data and MizanError) and a suspense hook each.
export async function factories(queryClient: QueryClient): Promise<void> {
  const posts: Post[] = await queryClient.ensureQueryData(listPostsQueryOptions({ page: 1 }));
  const cached: Post[] | undefined = queryClient.getQueryData(listPostsQueryOptions().queryKey);
  await queryClient.prefetchQuery(getUserQueryOptions({ id: "u1" }));
  const user: User | null = await queryClient.fetchQuery(getUserQueryOptions({ id: "u1" }));
  // @ts-expect-error get_user needs its arguments
  getUserQueryOptions();
  // @ts-expect-error `page` is a number
  listPostsQueryOptions({ page: "1" });
  // @ts-expect-error list_posts returns posts, not a user
  const wrong: User = await queryClient.ensureQueryData(listPostsQueryOptions());
  void [posts, cached, user, wrong];
}

export function useFactories(): void {
  const q = useQuery(listPostsQueryOptions({ tag: "rust" }));
  const data: Post[] | undefined = q.data;
  const error: MizanError | null = q.error;
  const fresh = useQuery({ ...statsQueryOptions(), staleTime: 60_000 });
  const when: string | undefined = fresh.data?.when;
  const s = useSuspenseQuery(getUserQueryOptions({ id: "u1" }));
  const found: User | null = s.data;
  const [a, b] = useQueries({ queries: [listPostsQueryOptions(), statsQueryOptions()] });
  const first: Post | undefined = a.data?.[0];
  // @ts-expect-error the second result is the stats, not posts
  const notPosts: Post[] | undefined = b.data;
  const suspended = useListPostsSuspense({ page: 2 });
  const always: Post[] = suspended.data;
  // @ts-expect-error useQuery's data may be undefined; only the suspense hook's is always there
  const maybe: Post[] = useListPosts().data;
  // @ts-expect-error useGetUserSuspense needs its arguments
  useGetUserSuspense();
  // @ts-expect-error a suspense query cannot be disabled
  useListPostsSuspense({}, { enabled: false });
  void [data, error, when, found, first, notPosts, always, maybe];
}

export const parsed: Shape = ShapeSchema.parse({ type: "circle", radius: 1 });
export const allowed: boolean = mizanMayCall("create_post", "staff");
// @ts-expect-error not a registered function
mizanMayCall("nope", "public");
export const kind: "query" = mizanFunctions.list_posts.kind;
export const custom: { readonly custom: string } = mizanFunctions.update_user.auth;

// Context functions get only their context hooks: `useGreet` reads its
// provider (no arguments), `useCurrentUser` takes only query options.
type Exports = keyof typeof Generated;
export const localContextHook: Parameters<typeof Generated.useGreet> extends [] ? true : false = true;
export const providerExported: "GreetProvider" extends Exports ? true : false = true;
export const noGlobalProvider: "CurrentUserProvider" extends Exports ? false : true = true;

// `index.ts` is React-free: no hook or provider; `react.ts` has them all,
// and everything `index.ts` has (one import for a React app).
type ReactFreeExports = keyof typeof ReactFree;
type Hooks = Extract<Exports, `use${string}`> | "GreetProvider";
export const indexHasNoHooks: Extract<ReactFreeExports, Hooks> extends never ? true : false = true;
export const reactHasIndex: Exclude<ReactFreeExports, Exports> extends never ? true : false = true;
export const reactHasEveryHook: [
  "useEcho" | "useListPosts" | "useStats" | "useCreatePost" | "useCurrentUser" | "useGreet",
  "useChatChannel" | "usePriceTickerChannel" | "useContactForm" | "GreetProvider",
] extends [Hooks, Hooks] ? true : false = true;
// Factories and suspense hooks are on the React side, for queries only:
// none for a mutation or a context function.
type Factories = Extract<Exports, `${string}QueryOptions`>;
export const indexHasNoFactories: Extract<ReactFreeExports, Factories> extends never ? true : false = true;
export const queriesHaveThem: [
  "listPostsQueryOptions" | "getUserQueryOptions" | "statsQueryOptions" | "graphQueryOptions",
  "useListPostsSuspense" | "useGetUserSuspense" | "useStatsSuspense" | "useGraphSuspense",
] extends [Factories, Hooks] ? true : false = true;
export const noneForOthers: Extract<
  Exports,
  "echoQueryOptions" | "useEchoSuspense" | "greetQueryOptions" | "useGreetSuspense" | "currentUserQueryOptions"
> extends never
  ? true
  : false = true;
export const sameError: typeof ReactFree.MizanError = MizanError;

// Channels: typed params, messages and client messages; listen-only
// channels have no `send`.
export function channels(): void {
  const sub = subscribeChat(
    { room: "lobby" },
    (line) => {
      const text: string = line.text;
      const user: string | null = line.user;
      void [text, user];
    },
    (status) => void status.state,
  );
  sub.send({ text: "hi" });
  // @ts-expect-error ChatClientMessage needs `text`
  sub.send({});
  // @ts-expect-error params need `room`
  subscribeChat({}, () => {});
  const message: ChatMessage = { user: null, text: "x" };
  const send: ChatClientMessage = { text: "y" };
  void [message, send];
  sub.close();

  const ticker = subscribePriceTicker({}, (tick: PriceTickerMessage) => {
    if (tick.type === "price") void tick.price;
  });
  // @ts-expect-error price_ticker is listen-only
  ticker.send({});
  ticker.close();
  const never: PriceTickerClientMessage[] = [];
  void never;
  const params: ChatParams = ChatParamsSchema.parse({ room: "lobby" });
  void params;
  const sends: true = mizanChannels.chat.sends;
  const listens: false = mizanChannels.price_ticker.sends;
  const name: MizanChannelName = "price_ticker";
  void [sends, listens, name];
}

export function useChannels(): void {
  const { messages, send, status } = useChatChannel({ room: "lobby" }, { maxMessages: 10 });
  const last: string | undefined = messages.at(-1)?.text;
  send({ text: "hi" });
  // @ts-expect-error send takes a ChatClientMessage
  send({ body: "hi" });
  const state: "connecting" | "live" | "reconnecting" | "closed" = status.state;
  const ticks = usePriceTickerChannel();
  const first: PriceTickerMessage | undefined = ticks.messages[0];
  // @ts-expect-error price_ticker is listen-only: no send
  void ticks.send;
  // @ts-expect-error useChatChannel needs params
  useChatChannel();
  void [last, state, first];
}

export function useContexts(): void {
  const user = useCurrentUser();
  const current: { name: string } | null | undefined = user.data;
  void user.refetch();
  useCurrentUser({ staleTime: 0, enabled: true });
  // @ts-expect-error a global context takes no arguments, only query options
  useCurrentUser({ name: "ada" });
  const greeting = useGreet();
  const text: string | undefined = greeting.data;
  const code: string | undefined = greeting.error?.code;
  // @ts-expect-error useGreet takes no arguments: its provider has them
  useGreet({ name: "Ada" });
  const provided = createElement(GreetProvider, { name: "Ada" }, "children");
  // @ts-expect-error GreetProvider needs `name`
  createElement(GreetProvider, {});
  // @ts-expect-error `name` is a string
  createElement(GreetProvider, { name: 1 });
  void [current, text, code, provided];
}

// Forms: the form object's description and functions, the values' Zod
// schema, and the react-hook-form hook.
export async function forms(): Promise<void> {
  const values: ContactFormValues = ContactFormValuesSchema.parse({ email: "a@b.c", message: "hi" });
  const errors: Record<string, string[]> = await contact.validate(values);
  const done: null = await contact.submit(values);
  const described = await contact.schema();
  const widget: "text" | "textarea" | "email" | "select" | "datetime-local" | undefined = described.fields[0]?.widget;
  const title: "Contact us" = contact.title;
  const firstLabel: "Email" = contact.fields[0].label;
  const choices = contact.fields[2].choices;
  const secondChoice: "bug" = choices[1].value;
  // @ts-expect-error submit takes the form's values
  await contact.submit({ email: "a@b.c" });
  void [errors, done, widget, title, firstLabel, secondChoice];
}

export function useForms(): void {
  const form = useContactForm({ mode: "onBlur", onSuccess: (out: null, v: ContactFormValues) => void [out, v.email] });
  form.register("email");
  form.register("topic");
  // @ts-expect-error not a field of the form
  form.register("nope");
  const emailError: string | undefined = form.formState.errors.email?.message;
  const rootError: string | undefined = form.formState.errors.root?.["server"]?.message;
  const submitting: boolean = form.formState.isSubmitting;
  const label: string | undefined = form.meta.fields[0]?.label;
  void form.onSubmit();
  void form.validateOnServer();
  const code: string | undefined = form.error?.code;
  void [emailError, rootError, submitting, label, code, form.result];
}

// Streams: the client function is an async iterator of typed items; the
// hook gives items, status and cancel; a stream mutation's starts with
// `start(args)`. No queryOptions factory or suspense hook for a stream.
export async function streams(signal: AbortSignal): Promise<void> {
  for await (const line of G.tailLog({ lines: 10 }, { signal })) {
    const text: string = line.text;
    // @ts-expect-error an item is a LogLine, not a number
    const n: number = line;
    void [text, n];
  }
  const rows = G.importRows({ rows: ["a"] });
  const first: IteratorResult<number, void> = await rows.next();
  await rows.return();
  // @ts-expect-error tail_log needs `lines`
  G.tailLog({});
  // @ts-expect-error a stream is no promise of its items
  const all: Generated.LogLine[] = await G.tailLog({ lines: 1 });
  void [first, all];
}

export function useStreams(): void {
  const tail = G.useTailLog({ lines: 10 }, { maxItems: 100, enabled: true });
  const lines: Generated.LogLine[] = tail.items;
  const status: "idle" | "streaming" | "done" | "error" = tail.status;
  const error: MizanError | null = tail.error;
  tail.cancel();
  const imports = G.useImportRows({ onItem: (n: number) => void n });
  imports.start({ rows: ["a", "b"] });
  // @ts-expect-error start takes the mutation's arguments
  imports.start({ lines: 1 });
  // @ts-expect-error a stream query's hook takes no `start`
  tail.start({ lines: 1 });
  void [lines, status, error];
}
type StreamNames = Extract<Exports, "tailLogQueryOptions" | "useTailLogSuspense" | "useTailLogInfinite">;
export const streamsHaveNoFactories: StreamNames extends never ? true : false = true;

// Cursor queries: an infinite-query hook and its factory, the pages typed,
// `cursor` left to mizan.
export async function infinite(queryClient: QueryClient): Promise<void> {
  const data = await queryClient.fetchInfiniteQuery(G.timelineInfiniteQueryOptions({ tag: "rust" }));
  const posts: Post[] = data.pages.flatMap((p) => p.items);
  const next: string | null | undefined = data.pages.at(-1)?.next_cursor;
  // @ts-expect-error the cursor is the page parameter, not an argument
  G.timelineInfiniteQueryOptions({ cursor: "x" });
  void [posts, next];
}

export function useInfinite(): void {
  const q = G.useTimelineInfinite({ tag: null }, { staleTime: 1000 });
  const pages: Generated.PostPage[] | undefined = q.data?.pages;
  const more: boolean = q.hasNextPage;
  void q.fetchNextPage();
  const own = useInfiniteQuery(G.timelineInfiniteQueryOptions());
  const params: unknown[] | undefined = own.data?.pageParams;
  void [pages, more, params];
}
type Infinite = Extract<Exports, `${string}Infinite` | `${string}InfiniteQueryOptions`>;
export const onlyCursorQueriesAreInfinite: [Infinite] extends ["useTimelineInfinite" | "timelineInfiniteQueryOptions"]
  ? true
  : false = true;

// Optimistic updates: typed by the factory whose cache entry they change.
export function useOptimistic(): void {
  G.useCreatePost({
    optimistic: async (args, cache) => {
      const title: string = args.post.title;
      await cache.update(listPostsQueryOptions({}), (posts) => posts.slice(1));
      await cache.update(G.timelineInfiniteQueryOptions(), (data) => ({ ...data, pages: data.pages.slice(0, 1) }));
      // @ts-expect-error list_posts holds posts, not a user
      await cache.update(listPostsQueryOptions({}), (): User[] => []);
      void title;
    },
  });
}
