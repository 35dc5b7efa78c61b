import { Head } from "@mizan/client/react";
import { Suspense, useState } from "react";
import { useSlowQuoteSuspense } from "../generated/react.js";

/**
 * The page at /slow/: `slow_quote` (300 ms) under `<Suspense>`. The server
 * sends the page with the fallback first and streams the quote in when it
 * arrives; the button works once the page is hydrated.
 */
export default function Slow() {
  const [likes, setLikes] = useState(0);
  return (
    <main>
      <Head title="A slow quote" />
      <Suspense fallback="Loading…">
        <Quote />
      </Suspense>
      <button type="button" id="like" onClick={() => setLikes((n) => n + 1)}>
        {`Likes: ${likes}`}
      </button>
    </main>
  );
}

/** The quote, once `slow_quote` answered. */
function Quote() {
  const quote = useSlowQuoteSuspense();
  return <blockquote id="quote">{quote.data}</blockquote>;
}
