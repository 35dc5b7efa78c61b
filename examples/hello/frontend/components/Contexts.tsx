import { Head } from "@mizan/client/react";
import { GreetProvider, useCurrentUser, useGreet } from "../generated/react.js";

/**
 * The page at /contexts/: the global context `current_user`, which the
 * server ran for this request and embedded in the page (so the first render,
 * on the server and in the browser, already shows it), and the local context
 * `greet` for the `name` prop, which the server reads during the render
 * (the page's `#mizan-queries`), so hydration fetches nothing.
 */
export default function Contexts({ name }: { name: string }) {
  return (
    <main>
      <Head title="Contexts" />
      <CurrentUser />
      <GreetProvider name={name}>
        <Greeting />
      </GreetProvider>
    </main>
  );
}

/** Who is signed in, with a button that fetches it again over HTTP. */
function CurrentUser() {
  const user = useCurrentUser();
  let text: string;
  let state: string;
  if (user.isPending) {
    [text, state] = ["Loading…", "loading"];
  } else if (user.isError) {
    [text, state] = [`Could not tell who you are (${user.error.code})`, "error"];
  } else {
    [text, state] = [user.data === null ? "Signed out" : `Signed in as ${user.data.id} (${user.data.role})`, "ready"];
  }
  return (
    <section>
      <p id="current-user" data-state={state}>
        {text}
      </p>
      <button type="button" id="refresh-user" onClick={() => void user.refetch()} disabled={user.isFetching}>
        Refresh
      </button>
    </section>
  );
}

/** The greeting the nearest `<GreetProvider>` fetched. */
function Greeting() {
  const greeting = useGreet();
  if (greeting.isPending) return <p id="greeting" data-state="loading">…</p>;
  if (greeting.isError) {
    return (
      <p id="greeting" data-state="error" role="alert">
        {greeting.error.fields["name"]?.join(" ") ?? greeting.error.message}
      </p>
    );
  }
  return (
    <p id="greeting" data-state="ready">
      {greeting.data}
    </p>
  );
}
