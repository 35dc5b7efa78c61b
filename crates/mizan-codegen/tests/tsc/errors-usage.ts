// Hand-written: the typed errors of the fixture's functions, the way an app
// narrows them. Each `@ts-expect-error` fails `tsc` when the line below it
// compiles: a wrong code, `data` of the wrong shape, `data` where there is none.
import { useQuery } from "@tanstack/react-query";
import {
  createPost,
  isContactSubmitError,
  isCreatePostError,
  isGetUserError,
  MizanError,
  type CreatePostError,
  type GetUserError,
  type NewPost,
  type Post,
} from "./generated/index.js";
import { getUserQueryOptions, useContactForm, useCreatePost, useGetUser, useGetUserSuspense } from "./generated/react.js";

export async function client(): Promise<void> {
  try {
    await createPost({ post: {} as NewPost });
  } catch (e) {
    if (isCreatePostError(e, "SLUG_TAKEN")) {
      const slug: string = e.data.slug;
      const suggestion: string | null = e.data.suggestion;
      void [slug, suggestion];
      // @ts-expect-error `slug` is a string
      const n: number = e.data.slug;
      void n;
    }
    if (isCreatePostError(e, "POST_LOCKED")) {
      // A newtype variant's data is its value: here a definition.
      const post: Post = e.data;
      void post;
    }
    if (isCreatePostError(e, "DRAFTS_FULL")) {
      // @ts-expect-error DRAFTS_FULL has no data
      void e.data.slug;
    }
    // @ts-expect-error USER_GONE is get_user's, not create_post's
    isCreatePostError(e, "USER_GONE");
    if (isCreatePostError(e)) {
      const any: CreatePostError = e;
      const base: MizanError = any;
      void base;
      if (e.code === "POST_LOCKED") {
        const title: string = e.data.title;
        void title;
      }
      // @ts-expect-error not one of create_post's codes, nor mizan's
      if (e.code === "SLUG_GONE") void e;
    }
  }
}

export function Hooks(): null {
  const mutation = useCreatePost({
    onError: (e) => {
      if (e.code === "SLUG_TAKEN") void e.data.suggestion;
    },
  });
  const typed: CreatePostError | null = mutation.error;
  void typed;

  const query = useGetUser({ id: "1" });
  if (query.error?.code === "USER_GONE") {
    const id: number = query.error.data.id;
    void id;
  }
  // @ts-expect-error a query's error is GetUserError, which has no SLUG_TAKEN
  if (query.error?.code === "SLUG_TAKEN") void query;

  const suspense = useGetUserSuspense({ id: "1" });
  const suspended: GetUserError | null = suspense.error;
  void suspended;

  // queryOptions factories carry the error type to useQuery.
  const fromFactory = useQuery(getUserQueryOptions({ id: "2" }));
  const factoryError: GetUserError | null = fromFactory.error;
  void factoryError;

  const form = useContactForm({
    onError: (e) => {
      if (isContactSubmitError(e, "SPAM")) {
        const none: undefined = e.data;
        void none;
      }
    },
  });
  if (form.error?.code === "SPAM") void form.error.message;
  // @ts-expect-error the form's error union has no USER_GONE
  if (form.error?.code === "USER_GONE") void form;
  void isGetUserError;
  return null;
}
