// @vitest-environment jsdom
/**
 * hello's `countdown` (a streamed output) and `feed` (a cursor query)
 * through their generated code, against the real `hello` server: the async
 * iterator (items in order, the request aborted when the loop is left, the
 * error answer before any item), `useCountdown` (items, status, `cancel`,
 * unmount), `useFeedInfinite` and `feedInfiniteQueryOptions` (every page
 * by cursor), and optimistic updates with a real QueryClient (applied before
 * the request, rolled back on failure, the declared queries refetched).
 */

import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, MizanError, setClient, type FetchLike } from "@mizan/client";
import { createQueryClient, MizanProvider, useMizanMutation } from "@mizan/client/react";
import {
  countdown,
  echo,
  feedInfiniteQueryOptions,
  feedQueryOptions,
  useCountdown,
  useEcho,
  useFeedInfinite,
  type FeedOutput,
} from "hello-frontend/frontend/generated/react";
import { cleanup, render } from "../react/render";
import { baseUrl } from "./support";

const queryClients: QueryClient[] = [];
afterEach(() => {
  cleanup();
  for (const qc of queryClients.splice(0)) qc.clear();
});

/** One request the client sent, and whether it was aborted. */
interface Sent {
  path: string;
  signal: AbortSignal | undefined;
}

/** The default client on a fetch that records each request and its signal. */
function setup() {
  const sent: Sent[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({ path: input.slice(baseUrl.length + 1), signal: init.signal ?? undefined });
    return globalThis.fetch(input, init);
  };
  const client = createClient({ baseUrl, fetch });
  setClient(client);
  const queryClient = createQueryClient();
  queryClients.push(queryClient);
  const mount = (ui: ReactNode) =>
    render(
      <MizanProvider client={client} queryClient={queryClient}>
        {ui}
      </MizanProvider>,
    );
  return { sent, queryClient, mount };
}

const text = (c: HTMLElement) => c.textContent;

describe("countdown's async iterator", () => {
  it("yields from, from - 1, …, 0, as a GET of its own", async () => {
    const { sent } = setup();
    const got: number[] = [];
    for await (const n of countdown({ from: 5 })) got.push(n);
    expect(got).toEqual([5, 4, 3, 2, 1, 0]);
    expect(sent.map((s) => s.path)).toEqual([`call/countdown?input=${encodeURIComponent('{"from":5}')}`]);
  });

  it("aborts the request when the loop is left early", async () => {
    const { sent } = setup();
    const got: number[] = [];
    for await (const n of countdown({ from: 100 })) {
      got.push(n);
      if (got.length === 3) break;
    }
    expect(got).toEqual([100, 99, 98]);
    expect(sent[0]?.signal?.aborted).toBe(true);
  });

  it("rejects with VALIDATION before any item for from 101", async () => {
    setup();
    const items: number[] = [];
    const error = await (async () => {
      for await (const n of countdown({ from: 101 })) items.push(n);
    })().catch((e: unknown) => e);
    expect(items).toEqual([]);
    expect(error).toBeInstanceOf(MizanError);
    expect(error).toMatchObject({ code: "VALIDATION", status: 422, issues: [{ path: ["from"], code: "too_big" }] });
  });
});

describe("useCountdown", () => {
  function Countdown({ from, maxItems }: { from: number; maxItems?: number }) {
    const { items, status, error, cancel } = useCountdown({ from }, maxItems === undefined ? {} : { maxItems });
    return (
      <div>
        <p data-testid="items">{items.join(",")}</p>
        <p data-testid="status">{status}</p>
        <p data-testid="error">{error?.code ?? ""}</p>
        <button type="button" onClick={cancel}>
          cancel
        </button>
      </div>
    );
  }
  const part = (c: HTMLElement, id: string) => c.querySelector(`[data-testid="${id}"]`)?.textContent;

  it("gives the items as they come, streaming then done", async () => {
    const { mount } = setup();
    const { container } = mount(<Countdown from={10} />);
    await vi.waitFor(() => expect(part(container, "items")).toMatch(/^10/));
    expect(part(container, "status")).toBe("streaming");
    await vi.waitFor(() => expect(part(container, "status")).toBe("done"));
    expect(part(container, "items")).toBe("10,9,8,7,6,5,4,3,2,1,0");
    expect(part(container, "error")).toBe("");
  });

  it("keeps the last maxItems, and shows the error of a refused input", async () => {
    const { mount } = setup();
    const kept = mount(<Countdown from={6} maxItems={2} />);
    await vi.waitFor(() => expect(part(kept.container, "status")).toBe("done"));
    expect(part(kept.container, "items")).toBe("1,0");
    const refused = mount(<Countdown from={101} />);
    await vi.waitFor(() => expect(part(refused.container, "status")).toBe("error"));
    expect(part(refused.container, "error")).toBe("VALIDATION");
    expect(part(refused.container, "items")).toBe("");
  });

  it("cancel() aborts the request and leaves the items so far; unmounting aborts too", async () => {
    const { sent, mount } = setup();
    const { container } = mount(<Countdown from={100} />);
    await vi.waitFor(() => expect(part(container, "items")?.split(",").length).toBeGreaterThan(2));
    container.querySelector("button")?.click();
    await vi.waitFor(() => expect(part(container, "status")).toBe("idle"));
    expect(sent[0]?.signal?.aborted).toBe(true);
    const shown = part(container, "items");
    await new Promise((r) => setTimeout(r, 60));
    expect(part(container, "items")).toBe(shown);

    const second = mount(<Countdown from={100} />);
    await vi.waitFor(() => expect(part(second.container, "items")).toMatch(/^100/));
    second.unmount();
    expect(sent[1]?.signal?.aborted).toBe(true);
  });
});

describe("feed's infinite query", () => {
  it("useFeedInfinite reads every page by cursor: 1,000 items in 50 pages", async () => {
    const { sent, mount } = setup();
    let loadMore: (() => void) | undefined;
    function Feed() {
      const q = useFeedInfinite();
      const items = q.data?.pages.flatMap((p) => p.items) ?? [];
      loadMore = q.hasNextPage && !q.isFetchingNextPage ? () => void q.fetchNextPage() : undefined;
      return (
        <p>
          {items.length} {items.at(-1)?.title ?? "-"} {q.hasNextPage ? "more" : "end"}
        </p>
      );
    }
    const { container } = mount(<Feed />);
    await vi.waitFor(() => expect(text(container)).toBe("20 Item 20 more"));
    for (let page = 2; page <= 50; page++) {
      await vi.waitFor(() => expect(loadMore).toBeDefined());
      loadMore?.();
      loadMore = undefined;
      await vi.waitFor(() => expect(text(container)).toContain(`${page * 20} Item ${page * 20} `));
    }
    expect(text(container)).toBe("1000 Item 1000 end");
    expect(sent).toHaveLength(50);
    expect(sent[0]?.path).toBe("call/feed");
    expect(sent[1]?.path).toBe(`call/feed?input=${encodeURIComponent('{"cursor":"20"}')}`);
  });

  it("feedInfiniteQueryOptions has the hook's key and fetches with the cursors as page params", async () => {
    const { queryClient } = setup();
    const options = feedInfiniteQueryOptions();
    expect(options.queryKey).toEqual(["mizan", "feed", {}, "infinite"]);
    const data = await queryClient.fetchInfiniteQuery({ ...options, pages: 3 });
    expect(data.pages.map((p) => p.items[0]?.n)).toEqual([1, 21, 41]);
    expect(data.pageParams).toEqual([null, "20", "40"]);
    expect(queryClient.getQueryData(options.queryKey)?.pages).toHaveLength(3);
    // Not the plain query's entry: that one holds one page.
    expect(queryClient.getQueryData(feedQueryOptions().queryKey)).toBeUndefined();
  });
});

describe("optimistic updates", () => {
  const draft = { n: 0, title: "Draft" };
  const withDraft = (page: FeedOutput): FeedOutput => ({ ...page, items: [draft, ...page.items] });

  /** The first cached title of `feed`'s plain query, on screen. */
  function FirstTitle() {
    const q = useQuery(feedQueryOptions());
    return <p data-testid="first">{q.data?.items[0]?.title ?? "…"}</p>;
  }

  it("applies the change before the request and keeps it when the mutation succeeds", async () => {
    const { queryClient, mount } = setup();
    let mutate: ((text: string) => Promise<unknown>) | undefined;
    function Send() {
      const m = useEcho({
        optimistic: (_args, cache) => cache.update(feedQueryOptions(), withDraft),
      });
      mutate = (text) => m.mutateAsync({ text });
      return null;
    }
    const { container } = mount(
      <>
        <FirstTitle />
        <Send />
      </>,
    );
    await vi.waitFor(() => expect(text(container)).toBe("Item 1"));
    const done = mutate?.("hi");
    await vi.waitFor(() => expect(text(container)).toBe("Draft"));
    await expect(done).resolves.toEqual({ message: "hi" });
    // echo invalidates nothing: the change stays.
    expect(queryClient.getQueryData(feedQueryOptions().queryKey)?.items[0]).toEqual(draft);
  });

  it("rolls the change back when the mutation fails", async () => {
    const { queryClient, mount } = setup();
    let mutate: (() => Promise<unknown>) | undefined;
    const seen: string[] = [];
    function Send() {
      const m = useEcho({
        optimistic: async (_args, cache) => {
          await cache.update(feedQueryOptions(), withDraft);
          await cache.update(feedInfiniteQueryOptions(), (data) => ({
            ...data,
            pages: data.pages.map((p, i) => (i === 0 ? withDraft(p) : p)),
          }));
          seen.push(queryClient.getQueryData(feedQueryOptions().queryKey)?.items[0]?.title ?? "?");
        },
      });
      // Not text: the server refuses the input (VALIDATION).
      mutate = () => m.mutateAsync({ text: 7 as unknown as string });
      return null;
    }
    await queryClient.fetchInfiniteQuery(feedInfiniteQueryOptions());
    const { container } = mount(
      <>
        <FirstTitle />
        <Send />
      </>,
    );
    await vi.waitFor(() => expect(text(container)).toBe("Item 1"));
    const error = await (mutate?.() ?? Promise.resolve()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "VALIDATION", status: 422 });
    expect(seen).toEqual(["Draft"]);
    await vi.waitFor(() => expect(text(container)).toBe("Item 1"));
    expect(queryClient.getQueryData(feedQueryOptions().queryKey)?.items[0]?.title).toBe("Item 1");
    expect(queryClient.getQueryData(feedInfiniteQueryOptions().queryKey)?.pages[0]?.items[0]?.title).toBe("Item 1");
  });

  it("refetches the declared queries once the mutation settles, so the server's data wins", async () => {
    const { sent, queryClient, mount } = setup();
    let mutate: (() => Promise<unknown>) | undefined;
    function Send() {
      // `echo` declaring `invalidates = [feed]`, through the runtime hook generated hooks use.
      const m = useMizanMutation(echo, ["feed"], {
        optimistic: (_args, cache) => cache.update(feedQueryOptions(), withDraft),
      });
      mutate = () => m.mutateAsync({ text: "hi" });
      return null;
    }
    const { container } = mount(
      <>
        <FirstTitle />
        <Send />
      </>,
    );
    await vi.waitFor(() => expect(text(container)).toBe("Item 1"));
    const feeds = () => sent.filter((s) => s.path === "call/feed").length;
    expect(feeds()).toBe(1);
    await mutate?.();
    expect(feeds()).toBe(2);
    await vi.waitFor(() => expect(text(container)).toBe("Item 1"));
    expect(queryClient.getQueryData(feedQueryOptions().queryKey)?.items).toHaveLength(20);
  });
});
