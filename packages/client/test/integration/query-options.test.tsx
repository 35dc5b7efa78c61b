// @vitest-environment jsdom
/**
 * The generated query factories (`whoamiQueryOptions`, …) and suspense hooks
 * (`useWhoamiSuspense`, …) of `examples/hello` in React (jsdom, react-dom)
 * against the real `hello` server: a factory with `useQuery`,
 * `useSuspenseQuery` (a real `<Suspense>` boundary: the fallback, then the
 * data; an error boundary for a refused call) and `useQueries`; and
 * `prefetchQuery` / `ensureQueryData` filling the very cache entry the hooks
 * read, so they send no request.
 */

import { useQueries, useQuery, useSuspenseQuery, type QueryClient } from "@tanstack/react-query";
import { Component, Suspense, type ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, isMizanError, queryKey, setClient } from "@mizan/client";
import { createQueryClient, MizanProvider } from "@mizan/client/react";
import {
  statsQueryOptions,
  textLengthQueryOptions,
  useStatsSuspense,
  useTextLength,
  useTextLengthSuspense,
  useWhoami,
  useWhoamiSuspense,
  whoamiQueryOptions,
} from "hello-frontend/frontend/generated/react";
import { flushSync } from "react-dom";
import { cleanup, render, type Rendered } from "../react/render";
import { baseUrl, bearer, recordingFetch, type SentRequest } from "./support";

const queryClients: QueryClient[] = [];
afterEach(() => {
  cleanup();
  // Nothing of one test may refetch through the next test's default client.
  for (const qc of queryClients.splice(0)) qc.clear();
});

/** A client (made the default one, as generated functions call it) and a fresh QueryClient, recording requests. */
function setup(headers: Record<string, string> = bearer("user")) {
  const rec = recordingFetch();
  const client = createClient({ baseUrl, fetch: rec.fetch, headers });
  setClient(client);
  const queryClient = createQueryClient();
  queryClients.push(queryClient);
  // Rendered synchronously, so the first commit (a fallback, or data already cached) can be asserted.
  const mount = (ui: ReactNode) => {
    let rendered: Rendered | undefined;
    flushSync(() => {
      rendered = render(
        <MizanProvider client={client} queryClient={queryClient}>
          {ui}
        </MizanProvider>,
      );
    });
    return rendered as Rendered;
  };
  return { sent: rec.sent, queryClient, mount };
}

/** How many calls of `name` the requests carried: `GET`/`POST call/{name}`, or items of a `POST batch`. */
function calls(sent: SentRequest[], name: string): number {
  return sent.reduce((n, r) => {
    if (r.path === `call/${name}` || r.path.startsWith(`call/${name}?`)) return n + 1;
    if (r.path !== "batch" || r.body === undefined) return n;
    const items = JSON.parse(r.body) as { fn: string }[];
    return n + items.filter((item) => item.fn === name).length;
  }, 0);
}

/** Shows the code of what its children threw. */
class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render(): ReactNode {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    return <p data-testid="caught">{isMizanError(error) ? `caught ${error.code} ${error.status}` : "caught ?"}</p>;
  }
}

const text = (c: HTMLElement) => c.textContent;

describe("query factories", () => {
  it("have the key of the hooks: [\"mizan\", name, args]", () => {
    expect(whoamiQueryOptions().queryKey).toEqual(queryKey("whoami", {}));
    expect(textLengthQueryOptions({ text: "ab" }).queryKey).toEqual(["mizan", "text_length", { text: "ab" }]);
    expect(typeof textLengthQueryOptions({ text: "ab" }).queryFn).toBe("function");
  });

  it("work with useQuery, typed, and share the hook's cache entry", async () => {
    const { sent, queryClient, mount } = setup();
    function Me() {
      const q = useQuery(whoamiQueryOptions());
      return <p>{q.isSuccess ? `${q.data.id}/${q.data.role}` : q.status}</p>;
    }
    const { container } = mount(<Me />);
    await vi.waitFor(() => expect(text(container)).toBe("ada/user"));
    expect(calls(sent, "whoami")).toBe(1);
    // The hook's entry is the factory's: what useQuery fetched, getQueryData reads by the factory's key.
    expect(queryClient.getQueryData(whoamiQueryOptions().queryKey)).toEqual({ id: "ada", role: "user" });
    // A hook mounted now reads the same entry (fresh for a minute: no request).
    function Hook() {
      const q = useWhoami({}, { staleTime: 60_000 });
      return <p>{q.data?.id ?? "none"}</p>;
    }
    const hook = mount(<Hook />);
    expect(text(hook.container)).toBe("ada");
    expect(calls(sent, "whoami")).toBe(1);
  });

  it("work with useQuery for a refused call: the MizanError is the query's error", async () => {
    const { mount } = setup();
    function Stats() {
      const q = useQuery(statsQueryOptions());
      return <p>{q.isError ? `${q.error.code} ${q.error.status}` : q.status}</p>;
    }
    const { container } = mount(<Stats />);
    await vi.waitFor(() => expect(text(container)).toBe("FORBIDDEN 403"));
  });

  it("work with useSuspenseQuery: the fallback, then the data", async () => {
    const { sent, mount } = setup();
    function Length() {
      const { data } = useSuspenseQuery(textLengthQueryOptions({ text: "héllo 👋" }));
      return <p>length={data}</p>;
    }
    const { container } = mount(
      <Suspense fallback={<p>waiting</p>}>
        <Length />
      </Suspense>,
    );
    expect(text(container)).toBe("waiting");
    await vi.waitFor(() => expect(text(container)).toBe("length=7"));
    expect(calls(sent, "text_length")).toBe(1);
  });

  it("work with useQueries: each result typed, in order", async () => {
    const { sent, mount } = setup();
    function Both() {
      const [me, length] = useQueries({
        queries: [whoamiQueryOptions(), textLengthQueryOptions({ text: "four" })],
      });
      if (!me.isSuccess || !length.isSuccess) return <p>loading</p>;
      const role: string = me.data.role;
      const n: number = length.data;
      return <p>{`${role} ${n}`}</p>;
    }
    const { container } = mount(<Both />);
    await vi.waitFor(() => expect(text(container)).toBe("user 4"));
    expect(calls(sent, "whoami")).toBe(1);
    expect(calls(sent, "text_length")).toBe(1);
  });
});

describe("prefetching fills the hooks' cache", () => {
  it("prefetchQuery: the query hook then sends no request", async () => {
    const { sent, queryClient, mount } = setup();
    await queryClient.prefetchQuery(textLengthQueryOptions({ text: "prefetched" }));
    expect(calls(sent, "text_length")).toBe(1);
    function Length() {
      const q = useTextLength({ text: "prefetched" }, { staleTime: 60_000 });
      return <p>{q.isSuccess ? `length=${q.data}` : q.status}</p>;
    }
    const { container } = mount(<Length />);
    // In the cache already: the first render has the data.
    expect(text(container)).toBe("length=10");
    await new Promise((r) => setTimeout(r, 50));
    expect(calls(sent, "text_length")).toBe(1);
  });

  it("other arguments are another entry: the hook fetches them", async () => {
    const { sent, queryClient, mount } = setup();
    await queryClient.prefetchQuery(textLengthQueryOptions({ text: "one" }));
    function Length() {
      const q = useTextLength({ text: "three" }, { staleTime: 60_000 });
      return <p>{q.isSuccess ? `length=${q.data}` : q.status}</p>;
    }
    const { container } = mount(<Length />);
    expect(text(container)).toBe("pending");
    await vi.waitFor(() => expect(text(container)).toBe("length=5"));
    expect(calls(sent, "text_length")).toBe(2);
  });

  it("ensureQueryData: typed data, and the suspense hook renders it without suspending or a request", async () => {
    const { sent, queryClient, mount } = setup();
    const me = await queryClient.ensureQueryData(whoamiQueryOptions());
    const id: string = me.id;
    expect(id).toBe("ada");
    // Cached: a second ensure is not a second request.
    await queryClient.ensureQueryData(whoamiQueryOptions());
    expect(calls(sent, "whoami")).toBe(1);
    function Me() {
      const { data } = useWhoamiSuspense({}, { staleTime: 60_000 });
      return <p>{data.role}</p>;
    }
    const { container } = mount(
      <Suspense fallback={<p>waiting</p>}>
        <Me />
      </Suspense>,
    );
    expect(text(container)).toBe("user");
    await new Promise((r) => setTimeout(r, 50));
    expect(calls(sent, "whoami")).toBe(1);
  });
});

describe("suspense hooks", () => {
  it("useTextLengthSuspense: the fallback, then the data", async () => {
    const { sent, mount } = setup();
    function Length({ value }: { value: string }) {
      const { data } = useTextLengthSuspense({ text: value });
      return <p>length={data}</p>;
    }
    const { container } = mount(
      <Suspense fallback={<p>waiting</p>}>
        <Length value="suspended" />
      </Suspense>,
    );
    expect(text(container)).toBe("waiting");
    await vi.waitFor(() => expect(text(container)).toBe("length=9"));
    expect(calls(sent, "text_length")).toBe(1);
  });

  it("a refused call goes to the nearest error boundary as its MizanError", async () => {
    const { mount } = setup();
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      function Stats() {
        const { data } = useStatsSuspense();
        return <p>functions={data.functions}</p>;
      }
      const { container } = mount(
        <Boundary>
          <Suspense fallback={<p>waiting</p>}>
            <Stats />
          </Suspense>
        </Boundary>,
      );
      expect(text(container)).toBe("waiting");
      await vi.waitFor(() => expect(text(container)).toBe("caught FORBIDDEN 403"));
    } finally {
      quiet.mockRestore();
    }
  });

  it("the same call for staff renders the data", async () => {
    const { mount } = setup(bearer("staff"));
    function Stats() {
      const { data } = useStatsSuspense();
      return <p>functions={data.functions}</p>;
    }
    const { container } = mount(
      <Boundary>
        <Suspense fallback={<p>waiting</p>}>
          <Stats />
        </Suspense>
      </Boundary>,
    );
    await vi.waitFor(() => expect(text(container)).toBe("functions=4"));
  });

  it("the hook and the suspense hook share one entry: mounted together, one request", async () => {
    const { sent, queryClient, mount } = setup();
    function Plain() {
      const q = useWhoami();
      return <span>{q.data?.id ?? "…"}</span>;
    }
    function Suspended() {
      const { data } = useWhoamiSuspense();
      return <span>{data.role}</span>;
    }
    const { container } = mount(
      <>
        <Plain />
        <Suspense fallback={<span>waiting</span>}>
          <Suspended />
        </Suspense>
      </>,
    );
    await vi.waitFor(() => expect(text(container)).toBe("adauser"));
    expect(calls(sent, "whoami")).toBe(1);
    expect(entries(queryClient, "whoami")).toBe(1);
  });
});

/** The number of cached queries of `name`. */
function entries(queryClient: QueryClient, name: string): number {
  return queryClient.getQueryCache().findAll({ queryKey: ["mizan", name] }).length;
}
