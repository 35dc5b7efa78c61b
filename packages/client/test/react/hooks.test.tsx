// Imports go through the package names, exactly as generated code does.
import { QueryClient } from "@tanstack/react-query";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createClient,
  getClient,
  MizanError,
  queryKey,
  setClient,
  type CallOptions,
  type MizanClient,
} from "@mizan/client";
import {
  createQueryClient,
  MizanProvider,
  useMizanClient,
  useMizanMutation,
  useMizanQuery,
  type MutationHookOptions,
  type QueryHookOptions,
} from "@mizan/client/react";
import { gate, startServer, WireError, type TestServer } from "../support/server";
import { cleanup, render } from "./render";

// ---- What generated code looks like (kept in the shape codegen emits) ----

interface ListPostsInput {
  tag?: string;
}
type ListPostsOutput = string[];
interface AddPostInput {
  title: string;
}

function listPosts(args: ListPostsInput, opts?: CallOptions): Promise<ListPostsOutput> {
  return getClient().call<ListPostsOutput>("list_posts", args, { ...opts, query: true });
}
function countTags(args: Record<string, never>, opts?: CallOptions): Promise<number> {
  return getClient().call<number>("count_tags", args, { ...opts, query: true });
}
function addPost(args: AddPostInput, opts?: CallOptions): Promise<number> {
  return getClient().call<number>("add_post", args, { ...opts, query: false });
}
function useListPosts(args: ListPostsInput, options?: QueryHookOptions<ListPostsOutput>) {
  return useMizanQuery("list_posts", listPosts, args, options);
}
function useCountTags(options?: QueryHookOptions<number>) {
  return useMizanQuery("count_tags", countTags, {}, options);
}
function useAddPost(options?: MutationHookOptions<number, AddPostInput>) {
  return useMizanMutation(addPost, ["list_posts"], options);
}

// ---- Server ----

let server: TestServer;
let posts: string[] = [];
const count = (name: string) =>
  server.requests.filter((r) => r.path.endsWith(`/call/${name}`) || r.body.includes(`"fn":"${name}"`)).length;

beforeAll(async () => {
  server = await startServer({
    list_posts: { query: true, handler: (args) => posts.filter((p) => !args["tag"] || p.startsWith(String(args["tag"]))) },
    count_tags: { query: true, handler: () => 3 },
    add_post: {
      handler: (args) => {
        posts.push(String(args["title"]));
        return posts.length;
      },
    },
    down: {
      query: true,
      handler: () => {
        throw new WireError(503, { code: "UNAVAILABLE", message: "redis down" });
      },
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  cleanup();
  posts = [];
  server.requests.length = 0;
});

function setup(queryClient?: QueryClient): { client: MizanClient; queryClient: QueryClient } {
  const client = createClient({ baseUrl: server.baseUrl });
  return { client, queryClient: queryClient ?? createQueryClient() };
}

describe("MizanProvider / useMizanClient", () => {
  it("provides the client and makes it the default for generated functions", () => {
    const { client, queryClient } = setup();
    setClient(createClient({ baseUrl: "/elsewhere" }));
    let seen: MizanClient | undefined;
    function Probe() {
      seen = useMizanClient();
      return null;
    }
    render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Probe />
      </MizanProvider>,
    );
    return vi.waitFor(() => {
      expect(seen).toBe(client);
      expect(getClient()).toBe(client);
    });
  });

  it("uses the default client and creates a QueryClient when given none", async () => {
    const client = createClient({ baseUrl: server.baseUrl });
    setClient(client);
    let seen: MizanClient | undefined;
    function Probe() {
      seen = useMizanClient();
      const q = useListPosts({});
      return <p>{q.isSuccess ? `n=${q.data.length}` : "loading"}</p>;
    }
    posts = ["x"];
    const { container } = render(
      <MizanProvider>
        <Probe />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("n=1"));
    expect(seen).toBe(client);
  });

  it("useMizanClient falls back to the default client outside a provider", () => {
    const client = createClient({ baseUrl: "/fallback" });
    setClient(client);
    let seen: MizanClient | undefined;
    function Probe() {
      seen = useMizanClient();
      return null;
    }
    render(<Probe />);
    return vi.waitFor(() => expect(seen).toBe(client));
  });
});

describe("useMizanQuery", () => {
  it("fetches with queryKey(name, args) and renders the data", async () => {
    posts = ["a1", "b1", "a2"];
    const { client, queryClient } = setup();
    function Posts() {
      const q = useListPosts({ tag: "a" });
      return <p>{q.data?.join(",") ?? "…"}</p>;
    }
    const { container } = render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Posts />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("a1,a2"));
    expect(queryClient.getQueryData(queryKey("list_posts", { tag: "a" }))).toEqual(["a1", "a2"]);
    expect(server.requests[0]!.method).toBe("GET");
    expect(server.requests[0]!.query.get("input")).toBe('{"tag":"a"}');
  });

  it("batches the queries of one render into one request", async () => {
    posts = ["p"];
    const { client, queryClient } = setup();
    function Page() {
      const a = useListPosts({});
      const b = useCountTags();
      return <p>{a.data && b.data !== undefined ? `${a.data.length}/${b.data}` : "…"}</p>;
    }
    const { container } = render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Page />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("1/3"));
    expect(server.requests.map((r) => r.path)).toEqual(["/api/mizan/batch"]);
  });

  it("passes TanStack's abort signal, so cancelling aborts the request", async () => {
    const hold = gate();
    server.functions.set("slow", {
      query: true,
      handler: async () => {
        await hold.promise;
        return 1;
      },
    });
    const { client, queryClient } = setup();
    const signals: (AbortSignal | undefined)[] = [];
    const slow = (args: object, opts: CallOptions) => {
      signals.push(opts.signal);
      return getClient().call<number>("slow", args, { ...opts, query: true });
    };
    function Slow() {
      const q = useMizanQuery("slow", slow, {});
      return <p>{q.fetchStatus}</p>;
    }
    render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Slow />
      </MizanProvider>,
    );
    await server.waitForRequests(1);
    expect(signals[0]).toBeDefined();
    expect(signals[0]?.aborted).toBe(false);
    await queryClient.cancelQueries({ queryKey: queryKey("slow", {}) });
    expect(signals[0]?.aborted).toBe(true);
    await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true));
    hold.open();
  });

  it("surfaces a MizanError and does not retry a 4xx", async () => {
    const { client, queryClient } = setup();
    const errors: MizanError[] = [];
    function Missing() {
      const q = useMizanQuery("nope", (args: object, opts: CallOptions) =>
        getClient().call<number>("nope", args, { ...opts, query: true }), {});
      if (q.error) errors.push(q.error);
      return <p>{q.status}</p>;
    }
    const { container } = render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Missing />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("error"));
    expect(errors[0]).toBeInstanceOf(MizanError);
    expect(errors[0]?.code).toBe("NOT_FOUND");
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests).toHaveLength(1);
  });

  it("retries a transient error twice by default", async () => {
    const { client, queryClient } = setup(createQueryClient({ defaultOptions: { queries: { retryDelay: 0 } } }));
    function Down() {
      const q = useMizanQuery("down", (args: object, opts: CallOptions) =>
        getClient().call<number>("down", args, { ...opts, query: true }), {});
      return <p>{q.status === "error" ? q.error.code : q.status}</p>;
    }
    const { container } = render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Down />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("UNAVAILABLE"));
    expect(server.requests).toHaveLength(3);
  });
});

describe("useMizanMutation", () => {
  it("invalidates the listed queries (refetching them) before the caller's onSuccess", async () => {
    posts = ["a"];
    const { client, queryClient } = setup();
    let mutation: ReturnType<typeof useAddPost> | undefined;
    const onSuccessSaw: { listRequests: number; data: number; vars: AddPostInput }[] = [];
    function Page() {
      const list = useListPosts({});
      const tags = useCountTags();
      mutation = useAddPost({
        onSuccess: (data, vars) => {
          onSuccessSaw.push({ listRequests: count("list_posts"), data, vars });
        },
      });
      return <p>{`${list.data?.join(",") ?? "…"}|${tags.data ?? "…"}`}</p>;
    }
    const { container } = render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Page />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("a|3"));
    expect(count("list_posts")).toBe(1);

    await mutation!.mutateAsync({ title: "b" });

    // The caller's onSuccess ran after the refetch went out, with the mutation's data.
    expect(onSuccessSaw).toEqual([{ listRequests: 2, data: 2, vars: { title: "b" } }]);
    await vi.waitFor(() => expect(container.textContent).toBe("a,b|3"));
    // Queries not listed in `invalidates` are left alone.
    expect(count("count_tags")).toBe(1);
    expect(count("add_post")).toBe(1);
  });

  it("reports a failed mutation as a MizanError without invalidating", async () => {
    const { client, queryClient } = setup();
    const failing = (args: { x: number }, opts?: CallOptions) =>
      getClient().call<number>("no_such_mutation", args, { ...opts, query: false });
    let mutation: ReturnType<typeof useMizanMutation<{ x: number }, number>> | undefined;
    const onSuccess = vi.fn();
    function Page() {
      useListPosts({});
      mutation = useMizanMutation(failing, ["list_posts"], { onSuccess });
      return <p>{mutation.status}</p>;
    }
    const { container } = render(
      <MizanProvider client={client} queryClient={queryClient}>
        <Page />
      </MizanProvider>,
    );
    await vi.waitFor(() => expect(count("list_posts")).toBe(1));
    const err = await mutation!.mutateAsync({ x: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MizanError);
    expect((err as MizanError).code).toBe("NOT_FOUND");
    await vi.waitFor(() => expect(container.textContent).toBe("error"));
    expect(onSuccess).not.toHaveBeenCalled();
    expect(count("list_posts")).toBe(1);
  });
});
