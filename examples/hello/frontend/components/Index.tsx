import { Head } from "@mizan/client/react";

import type { IndexProps } from "../generated/index.js";

/**
 * The page at `/`, a typed page inside the layout: a link to every page of
 * the example, and its own title from `<Head>`.
 */
export default function Index({ pages }: IndexProps) {
  return (
    <main>
      <Head title="mizan hello" meta={{ description: "Every page of the hello example" }} />
      <h1>mizan hello</h1>
      <ul id="pages">
        {pages.map((page) => (
          <li key={page.href}>
            <a href={page.href}>{page.title}</a>
          </li>
        ))}
      </ul>
    </main>
  );
}
