import { useState, type ReactNode } from "react";

/** The pages in the nav bar, in order. */
const LINKS: ReadonlyArray<readonly [href: string, label: string]> = [
  ["/", "Home"],
  ["/counter/", "Counter"],
  ["/contexts/", "Contexts"],
  ["/contact/", "Contact"],
  ["/todos/", "Todos"],
];

/**
 * The layout around `/`, `/counter/`, `/contexts/`, `/contact/` and
 * `/todos/` (named in Rust: `layout = "components/Layout.tsx"` or
 * `mizan::render_with_layouts`): a nav bar of plain links and a counter of
 * its own (`#layout-counter`), whose state belongs to the layout, not the
 * page inside it.
 */
export default function Layout({ children }: { children: ReactNode }) {
  const [clicks, setClicks] = useState(0);
  return (
    <div id="layout">
      <nav id="nav">
        {LINKS.map(([href, label]) => (
          <a key={href} href={href}>
            {label}
          </a>
        ))}
        <button type="button" id="layout-counter" onClick={() => setClicks((c) => c + 1)}>
          {`Layout clicks: ${clicks}`}
        </button>
      </nav>
      {children}
    </div>
  );
}
