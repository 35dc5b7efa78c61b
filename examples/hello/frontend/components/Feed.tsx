import { Head } from "@mizan/client/react";
import { useCountdown, useFeedInfinite } from "../generated/react.js";

/**
 * The page at /feed/: `feed`'s items a page at a time (`useFeedInfinite`,
 * "Load more" reads the next page by its cursor), and `countdown`'s numbers
 * as they stream in (`useCountdown`).
 */
export default function Feed({ from }: { from: number }) {
  return (
    <main>
      <Head title="Feed" />
      <Countdown from={from} />
      <Items />
    </main>
  );
}

/** The feed's items so far, and a button for the next page. */
function Items() {
  const feed = useFeedInfinite();
  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];
  const state = feed.isPending ? "loading" : feed.isError ? "error" : feed.hasNextPage ? "more" : "end";
  return (
    <section>
      <ol id="feed" data-state={state} data-count={items.length}>
        {items.map((item) => (
          <li key={item.n}>{item.title}</li>
        ))}
      </ol>
      {feed.isError ? <p id="feed-error">{feed.error.code}</p> : null}
      <button
        type="button"
        id="load-more"
        onClick={() => void feed.fetchNextPage()}
        disabled={!feed.hasNextPage || feed.isFetchingNextPage}
      >
        Load more
      </button>
    </section>
  );
}

/** `countdown`'s numbers as they arrive, and a button that stops it. */
function Countdown({ from }: { from: number }) {
  const { items, status, error, cancel } = useCountdown({ from });
  return (
    <section>
      <p id="countdown" data-status={status}>
        {items.join(" ")}
      </p>
      {error ? <p id="countdown-error">{error.code}</p> : null}
      <button type="button" id="stop" onClick={cancel} disabled={status !== "streaming"}>
        Stop
      </button>
    </section>
  );
}
