// Imports go through the package names, exactly as generated code does.
import type { QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, getClient, isMizanError, queryKey, type CallOptions } from "@mizan/client";
import {
  CONTEXTS_ID,
  createLocalContext,
  createQueryClient,
  MizanProvider,
  MizanRoot,
  readPageContext,
  useGlobalContext,
  usePageContext,
  useServerRender,
  useLocalContext,
  type ContextQuery,
  type LocalContextProvider,
} from "@mizan/client/react";
import { startServer, WireError, type TestServer } from "../support/server";
import { cleanup, render } from "./render";

// ---- What generated code looks like (kept in the shape codegen emits) ----

type CurrentUserInput = Record<string, never>;
type CurrentUserOutput = { id: string } | null;
interface GreetInput {
  name: string;
}

function currentUser(args: CurrentUserInput = {}, opts?: CallOptions): Promise<CurrentUserOutput> {
  return getClient().call<CurrentUserOutput>("current_user", args, { ...opts, query: true });
}
function greet(args: GreetInput, opts?: CallOptions): Promise<string> {
  return getClient().call<string>("greet", args, { ...opts, query: true });
}
function useCurrentUser(): ContextQuery<CurrentUserOutput> {
  return useGlobalContext<CurrentUserInput, CurrentUserOutput>("current_user", currentUser);
}
const GreetProvider: LocalContextProvider<GreetInput, string> = createLocalContext("greet", greet, "GreetProvider");
function useGreet(): ContextQuery<string> {
  return useLocalContext(GreetProvider);
}

// ---- Server and page ----

let server: TestServer;
let who: CurrentUserOutput = { id: "server" };
const calls = (name: string) =>
  server.requests.filter((r) => r.path.endsWith(`/call/${name}`) || r.body.includes(`"fn":"${name}"`)).length;

beforeAll(async () => {
  server = await startServer({
    current_user: { query: true, handler: () => who },
    greet: {
      query: true,
      handler: (args) => {
        if (args["name"] === "") throw new WireError(422, { code: "VALIDATION", message: "invalid", fields: { name: ["too short"] } });
        return `Hello, ${String(args["name"])}!`;
      },
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  cleanup();
  document.getElementById(CONTEXTS_ID)?.remove();
  server.requests.length = 0;
  who = { id: "server" };
});

/** Puts a `#mizan-contexts` script into the page, as the server does. */
function embed(text: string): void {
  const script = document.createElement("script");
  script.type = "application/json";
  script.id = CONTEXTS_ID;
  script.textContent = text;
  document.body.appendChild(script);
}

function mount(ui: ReactNode, queryClient: QueryClient = createQueryClient()) {
  const client = createClient({ baseUrl: server.baseUrl });
  return render(
    <MizanProvider client={client} queryClient={queryClient}>
      {ui}
    </MizanProvider>,
  );
}

/** Renders the current user, recording the state of every render. */
function UserProbe({ seen }: { seen: string[] }) {
  const user = useCurrentUser();
  const text = user.isPending ? "pending" : user.isError ? `error:${user.error.code}` : `user:${user.data?.id ?? "none"}`;
  seen.push(text);
  return (
    <p>
      {text}
      <button type="button" onClick={() => void user.refetch()}>
        refetch
      </button>
    </p>
  );
}

// ---- readPageContext ----

describe("readPageContext", () => {
  it("reads data and errors from the page's script, and nothing else", () => {
    embed(
      JSON.stringify({
        current_user: { data: { id: "ada" } },
        signed_out: { data: null },
        account: { error: { code: "UNAUTHENTICATED", message: "sign in" } },
        odd: { neither: 1 },
      }),
    );
    expect(readPageContext("current_user")).toEqual({ ok: true, data: { id: "ada" } });
    expect(readPageContext("signed_out")).toEqual({ ok: true, data: null });
    const account = readPageContext("account");
    expect(account?.ok).toBe(false);
    if (account?.ok === false) {
      expect(isMizanError(account.error)).toBe(true);
      expect(account.error.code).toBe("UNAUTHENTICATED");
      expect(account.error.status).toBe(401);
      expect(account.error.message).toBe("sign in");
    }
    expect(readPageContext("odd")).toBeUndefined();
    expect(readPageContext("missing")).toBeUndefined();
    expect(readPageContext("toString")).toBeUndefined();
  });

  it("treats a page without the script, or with a broken one, as not server-rendered", () => {
    expect(readPageContext("current_user")).toBeUndefined();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    embed("{not json");
    expect(readPageContext("current_user")).toBeUndefined();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toContain(CONTEXTS_ID);
    errors.mockRestore();
  });

  it("reads the contexts it is given instead of the page's", () => {
    embed(JSON.stringify({ current_user: { data: { id: "from-dom" } } }));
    const given = { current_user: { data: { id: "given" } } };
    expect(readPageContext("current_user", given)).toEqual({ ok: true, data: { id: "given" } });
    expect(readPageContext("current_user", {})).toBeUndefined();
  });
});

// ---- MizanRoot ----

describe("MizanRoot", () => {
  function Probe({ label }: { label: string }) {
    const c = usePageContext<{ id: string }>("current_user");
    const server = useServerRender();
    return <p>{`${label}:${c?.ok ? c.data.id : "absent"}:${server === null ? "browser" : `server ${server.id}`}`}</p>;
  }

  it("gives each page below it its own contexts, before the page's script", async () => {
    embed(JSON.stringify({ current_user: { data: { id: "from-dom" } } }));
    const { container } = render(
      <>
        <MizanRoot contexts={{ current_user: { data: { id: "ada" } } }}>
          <Probe label="a" />
        </MizanRoot>
        <MizanRoot contexts={{ current_user: { data: { id: "bob" } } }}>
          <Probe label="b" />
        </MizanRoot>
        <Probe label="outside" />
      </>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("a:ada:browserb:bob:browseroutside:from-dom:browser"));
  });

  it("hands the server render down to the components", async () => {
    const server = {
      id: 7,
      call: () => Promise.resolve({ data: 1 }),
      chunk: () => {},
      setResult: () => {},
      signal: new AbortController().signal,
    };
    const { container } = render(
      <MizanRoot contexts={{}} server={server}>
        <Probe label="s" />
      </MizanRoot>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("s:absent:server 7"));
  });

  it("seeds a global context from its contexts, not the page's script", async () => {
    embed(JSON.stringify({ current_user: { data: { id: "from-dom" } } }));
    const seen: string[] = [];
    const { container } = mount(
      <MizanRoot contexts={{ current_user: { data: { id: "from-root" } } }}>
        <UserProbe seen={seen} />
      </MizanRoot>,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("user:from-rootrefetch"));
    expect(seen[0]).toBe("user:from-root");
    expect(calls("current_user")).toBe(0);
  });
});

// ---- useGlobalContext ----

describe("useGlobalContext", () => {
  it("has the embedded value on the first render and sends no request", async () => {
    embed(JSON.stringify({ current_user: { data: { id: "ada" } } }));
    const seen: string[] = [];
    const { container } = mount(<UserProbe seen={seen} />);
    await vi.waitFor(() => expect(container.textContent).toBe("user:adarefetch"));
    expect(seen[0]).toBe("user:ada");
    expect(seen).not.toContain("pending");
    // Give a mount-time refetch the chance to happen: it must not.
    await new Promise((r) => setTimeout(r, 50));
    expect(calls("current_user")).toBe(0);
  });

  it("refetches through the client function, and on invalidation", async () => {
    embed(JSON.stringify({ current_user: { data: { id: "ada" } } }));
    const queryClient = createQueryClient();
    const seen: string[] = [];
    const { container } = mount(<UserProbe seen={seen} />, queryClient);
    await vi.waitFor(() => expect(container.textContent).toBe("user:adarefetch"));
    container.querySelector("button")?.click();
    await vi.waitFor(() => expect(container.textContent).toBe("user:serverrefetch"));
    expect(calls("current_user")).toBe(1);
    who = { id: "later" };
    await queryClient.invalidateQueries({ queryKey: ["mizan", "current_user"] });
    await vi.waitFor(() => expect(container.textContent).toBe("user:laterrefetch"));
    expect(calls("current_user")).toBe(2);
    expect(seen).not.toContain("pending");
  });

  it("starts in the embedded error state without retrying on mount", async () => {
    embed(JSON.stringify({ current_user: { error: { code: "UNAUTHENTICATED", message: "no identity" } } }));
    const seen: string[] = [];
    const { container } = mount(<UserProbe seen={seen} />);
    await vi.waitFor(() => expect(container.textContent).toBe("error:UNAUTHENTICATEDrefetch"));
    expect(seen[0]).toBe("error:UNAUTHENTICATED");
    await new Promise((r) => setTimeout(r, 50));
    expect(calls("current_user")).toBe(0);
    container.querySelector("button")?.click();
    await vi.waitFor(() => expect(container.textContent).toBe("user:serverrefetch"));
  });

  it("fetches when the page carries no value", async () => {
    const seen: string[] = [];
    const { container } = mount(<UserProbe seen={seen} />);
    await vi.waitFor(() => expect(container.textContent).toBe("user:serverrefetch"));
    expect(seen[0]).toBe("pending");
    expect(calls("current_user")).toBe(1);
  });

  it("uses the page's value once per QueryClient: a query removed later is fetched", async () => {
    embed(JSON.stringify({ current_user: { data: { id: "ada" } } }));
    const queryClient = createQueryClient();
    const first = mount(<UserProbe seen={[]} />, queryClient);
    await vi.waitFor(() => expect(first.container.textContent).toBe("user:adarefetch"));
    first.unmount();
    queryClient.removeQueries({ queryKey: queryKey("current_user", {}) });
    const again = mount(<UserProbe seen={[]} />, queryClient);
    await vi.waitFor(() => expect(again.container.textContent).toBe("user:serverrefetch"));
    expect(calls("current_user")).toBe(1);
  });
});

// ---- createLocalContext / useLocalContext ----

function Greeting({ seen = [] }: { seen?: string[] }) {
  const greeting = useGreet();
  const text = greeting.isPending ? "pending" : greeting.isError ? `error:${greeting.error.fields["name"]?.join(",")}` : greeting.data;
  seen.push(text);
  return <p>{text}</p>;
}

describe("createLocalContext", () => {
  it("fetches with the provider's props for the components inside", async () => {
    const queryClient = createQueryClient();
    const { container } = mount(
      <GreetProvider name="Ada">
        <Greeting />
        <Greeting />
      </GreetProvider>,
      queryClient,
    );
    await vi.waitFor(() => expect(container.textContent).toBe("Hello, Ada!Hello, Ada!"));
    expect(calls("greet")).toBe(1);
    expect(queryClient.getQueryData(queryKey("greet", { name: "Ada" }))).toBe("Hello, Ada!");
    expect(GreetProvider.displayName).toBe("GreetProvider");
  });

  it("fetches again when the props change, and carries the server's errors", async () => {
    function Switch() {
      return (
        <>
          <GreetProvider name="Ada">
            <Greeting />
          </GreetProvider>
          <GreetProvider name="">
            <Greeting />
          </GreetProvider>
        </>
      );
    }
    const { container } = mount(<Switch />);
    await vi.waitFor(() => expect(container.textContent).toBe("Hello, Ada!error:too short"));
  });

  it("throws a clear error when read outside its provider", () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    let caught: unknown;
    function Outside() {
      try {
        useGreet();
      } catch (e) {
        caught = e;
      }
      return null;
    }
    mount(<Outside />);
    return vi
      .waitFor(() => expect(caught).toBeInstanceOf(Error))
      .then(() => {
        expect(String((caught as Error).message)).toContain("<GreetProvider");
        errors.mockRestore();
      });
  });
});
