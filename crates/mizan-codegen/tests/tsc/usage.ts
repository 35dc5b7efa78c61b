// Hand-written: exercises the generated API the way an app does, so
// `tsc --strict` checks the signatures, not only that the files compile.
import {
  MizanError,
  ShapeSchema,
  contactSubmit,
  createPost,
  currentUser,
  echo,
  greet,
  listPosts,
  mizanFunctions,
  mizanMayCall,
  stats,
  useCreatePost,
  useEcho,
  useListPosts,
  useStats,
  type NewPost,
  type Post,
  type Shape,
  type User,
} from "./generated";
import type * as Generated from "./generated";

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

export const parsed: Shape = ShapeSchema.parse({ type: "circle", radius: 1 });
export const allowed: boolean = mizanMayCall("create_post", "staff");
// @ts-expect-error not a registered function
mizanMayCall("nope", "public");
export const kind: "query" = mizanFunctions.list_posts.kind;
export const custom: { readonly custom: string } = mizanFunctions.update_user.auth;

// Context functions get their client function but no hook (yet).
type Exports = keyof typeof Generated;
export const noContextHook: "useCurrentUser" extends Exports ? false : true = true;
export const noLocalContextHook: "useGreet" extends Exports ? false : true = true;
