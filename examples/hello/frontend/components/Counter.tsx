import { Head } from "@mizan/client/react";
import { useState } from "react";

/**
 * The page at /counter/: a button whose click changes the page, which only
 * works once the server-rendered HTML has been hydrated in the browser.
 */
export default function Counter({ start = 0, label = "Clicks" }: { start?: number; label?: string }) {
  const [count, setCount] = useState(start);
  return (
    <main>
      <Head title="Counter" />
      <p id="count">{`${label}: ${count}`}</p>
      <button type="button" id="increment" onClick={() => setCount((c) => c + 1)}>
        Add one
      </button>
    </main>
  );
}
