// The page's QueryClient: the server render reads queries through the
// render's `call` (one call per query and arguments) and renders their
// data or error; the dehydrated state carries a failed query's envelope;
// the browser's client, seeded from it, renders the same without fetching.
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderToReadableStream } from "react-dom/server";
import { MizanError, type CallOptions } from "@mizan/client";
import {
  createPageQueryClient,
  createServerQueryClient,
  dehydratePage,
  MizanRoot,
  PageQueries,
  useMizanQuery,
  type ServerRender,
} from "@mizan/client/react";
import { cleanup, render } from "./render";

afterEach(cleanup);

/** Stands for a generated client function: it must not run on the server, nor after hydration. */
const fetched = vi.fn((_args: { n: number }, _opts: CallOptions): Promise<number> => Promise.reject(new Error("fetched")));

function Read({ n }: { n: number }) {
  const q = useMizanQuery<{ n: number }, number>("double", fetched, { n });
  const text = q.isPending ? "pending" : q.isError ? `error:${q.error.code}` : `data:${q.data}`;
  return <li>{text}</li>;
}

function Page() {
  return (
    <ul>
      <Read n={1} />
      <Read n={1} />
      <Read n={-1} />
    </ul>
  );
}

/** A render's way back to a host that doubles `n`, refusing negative ones; records the calls. */
function fakeServer(): ServerRender & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    id: 1,
    calls,
    call(fn, args) {
      calls.push([fn, args]);
      const n = args["n"] as number;
      const envelope =
        n < 0 ? { error: { code: "VALIDATION", message: "negative", fields: { n: ["negative"] } } } : { data: n * 2 };
      return new Promise((resolve) => setTimeout(() => resolve(envelope), 10));
    },
    chunk() {},
    setResult() {},
    signal: new AbortController().signal,
  };
}

describe("the page's QueryClient", () => {
  it("renders on the server with the data, one call per query and args, and hydrates without fetching", async () => {
    const server = fakeServer();
    const client = createServerQueryClient();
    const element = (
      <MizanRoot server={server}>
        <PageQueries client={client}>
          <Page />
        </PageQueries>
      </MizanRoot>
    );
    const stream = await renderToReadableStream(element);
    await stream.allReady;
    const html = await new Response(stream).text();
    expect(html).toBe("<ul><li>data:2</li><li>data:2</li><li>error:VALIDATION</li></ul>");
    expect(server.calls).toEqual([
      ["double", { n: 1 }],
      ["double", { n: -1 }],
    ]);

    const state = JSON.parse(JSON.stringify(dehydratePage(client)));
    const failed = state.queries.find((q: { queryKey: unknown[] }) => (q.queryKey[2] as { n: number }).n === -1);
    expect(failed.state.error).toEqual({ error: { code: "VALIDATION", message: "negative", fields: { n: ["negative"] } } });

    const browser = createPageQueryClient(state);
    const error = browser.getQueryState(["mizan", "double", { n: -1 }])?.error;
    expect(error).toBeInstanceOf(MizanError);
    expect((error as MizanError).fields).toEqual({ n: ["negative"] });
    const r = render(
      <MizanRoot>
        <PageQueries client={browser}>
          <Page />
        </PageQueries>
      </MizanRoot>,
    );
    await vi.waitFor(() => expect(r.container.innerHTML).toBe(html));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.container.innerHTML).toBe(html);
    expect(fetched).not.toHaveBeenCalled();
  });

  it("reads nothing: no queries to embed", () => {
    expect(dehydratePage(createServerQueryClient())).toBeUndefined();
  });
});
