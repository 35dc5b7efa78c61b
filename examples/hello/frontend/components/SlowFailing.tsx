import { Component, Suspense, useState, type ReactNode } from "react";
import { isMizanError } from "@mizan/client";
import { useFailingQuoteSuspense } from "../generated/react.js";

/**
 * The page at /slow-failing/: `failing_quote` (a 503 `UNAVAILABLE` after
 * 300 ms) under `<Suspense>`, inside an error boundary. The server streams
 * the shell with the fallback, and the failed query's envelope in
 * `#mizan-queries`; React leaves the boundary to the browser, which renders
 * it from that error (no request) and shows the error boundary. The button,
 * outside the boundary, keeps working.
 */
export default function SlowFailing() {
  const [likes, setLikes] = useState(0);
  return (
    <main>
      <QuoteErrorBoundary>
        <Suspense fallback="Loading…">
          <Quote />
        </Suspense>
      </QuoteErrorBoundary>
      <button type="button" id="like" onClick={() => setLikes((n) => n + 1)}>
        {`Likes: ${likes}`}
      </button>
    </main>
  );
}

/** The quote, once `failing_quote` answered (it never does). */
function Quote() {
  const quote = useFailingQuoteSuspense();
  return <blockquote id="quote">{quote.data}</blockquote>;
}

/** Shows `No quote (CODE)` in place of its children once one of them threw. */
class QuoteErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    const code = isMizanError(this.state.error) ? this.state.error.code : "UNKNOWN";
    return <p id="quote-error" role="alert">{`No quote (${code})`}</p>;
  }
}
