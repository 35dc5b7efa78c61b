/**
 * The names a server-rendered page is built on, defined once for every
 * side: the SSR worker (`@mizan/ssr/worker`), the browser entry
 * (`@mizan/ssr/hydrate`) and the context hooks (`@mizan/client/react`)
 * import them from here; the server writes the same ids (a test in the Rust
 * crate's `ssr/page.rs` reads this file and fails on any difference).
 *
 * React-free and import-free: `@mizan/ssr` imports it as `@mizan/client/page`.
 *
 * @module
 */

/** Id of the element the server-rendered HTML lives in. */
export const ROOT_ID = "mizan-root";
/** Id of the JSON script holding the component's props. */
export const PROPS_ID = "mizan-props";
/** Id of the JSON script holding the page's global contexts. */
export const CONTEXTS_ID = "mizan-contexts";
/** Id of the JSON script holding the queries the server render read (TanStack Query's dehydrated state). */
export const QUERIES_ID = "mizan-queries";
/** Id of the JSON script naming the page: `{"component","url","version"}` (the asset version visits send back). */
export const PAGE_ID = "mizan-page";
/** Id of the JSON script a streamed page ends with when its render failed after the shell was sent. */
export const ERROR_ID = "mizan-error";
