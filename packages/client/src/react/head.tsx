/**
 * {@link Head}: a page's title and `<meta name content>` tags, set from the
 * component that knows them.
 *
 * ```tsx
 * <Head title="Todos" meta={{ description: "What to do" }} />
 * ```
 *
 * It renders nothing. On the server (the SSR worker) it records its title
 * and meta into the render's own head, which the worker hands the Rust host
 * as the render's `head`; the host merges it over the head set from Rust
 * (`Page::title`, `Page::meta`: this one wins) into the page's `<head>` and a
 * visit's `head`. Nothing is kept on a global: the record belongs to the
 * render (`useServerRender()`), so two renders in flight never mix heads.
 * In the browser it sets `document.title` and the meta tags when it mounts
 * and whenever its props change.
 *
 * Several `<Head>`s (a layout's and its page's) merge in render order: the
 * one rendered later (deeper: the page inside its layouts) wins the title
 * and any meta name both set; when it unmounts, the others' values apply
 * again.
 *
 * @module
 */

import { useEffect, useState, type ReactNode } from "react";

import { useServerRender, type ServerRender } from "./root.js";

/** Props of {@link Head}. */
export interface HeadProps {
  /** The page's `<title>`. */
  title?: string | undefined;
  /** `<meta name="{key}" content="{value}">` tags, by name. */
  meta?: Readonly<Record<string, string>> | undefined;
}

/** A page head as the bridge carries it: `{"title"?, "meta": [{"name","content"}]}`. */
interface Collected {
  title?: string;
  meta: Map<string, string>;
}

/** Each server render's head, by the render (its own object): dropped with it. */
const serverHeads = new WeakMap<ServerRender, Collected>();

function record(server: ServerRender, props: HeadProps): void {
  let head = serverHeads.get(server);
  if (head === undefined) {
    head = { meta: new Map() };
    serverHeads.set(server, head);
  }
  if (props.title !== undefined) head.title = props.title;
  for (const [name, content] of Object.entries(props.meta ?? {})) head.meta.set(name, content);
  const meta = [...head.meta].map(([name, content]) => ({ name, content }));
  server.setResult("head", head.title === undefined ? { meta } : { title: head.title, meta });
}

/** The mounted `<Head>`s of the document, by the order they first rendered in. */
const mounted = new Map<number, HeadProps>();
let rendered = 0;
/** The meta tags a `<Head>` set, by name (removed when no `<Head>` sets them). */
const owned = new Map<string, HTMLMetaElement>();

function apply(): void {
  let title: string | undefined;
  const meta = new Map<string, string>();
  for (const [, props] of [...mounted].sort(([a], [b]) => a - b)) {
    if (props.title !== undefined) title = props.title;
    for (const [name, content] of Object.entries(props.meta ?? {})) meta.set(name, content);
  }
  if (title !== undefined && document.title !== title) document.title = title;
  for (const [name, content] of meta) {
    let tag = owned.get(name) ?? findMeta(name);
    if (tag === undefined) {
      tag = document.createElement("meta");
      tag.name = name;
      document.head.appendChild(tag);
    }
    owned.set(name, tag);
    if (tag.content !== content) tag.content = content;
  }
  for (const [name, tag] of owned) {
    if (!meta.has(name)) {
      tag.remove();
      owned.delete(name);
    }
  }
}

function findMeta(name: string): HTMLMetaElement | undefined {
  for (const tag of document.head.getElementsByTagName("meta")) {
    if (tag.name === name) return tag;
  }
  return undefined;
}

/**
 * Sets the page's title and meta tags (see the module's documentation).
 * Renders nothing, on the server and in the browser alike, so hydration
 * matches.
 */
export function Head({ title, meta }: HeadProps): ReactNode {
  const server = useServerRender();
  // Render order: a page inside its layouts renders after them, so it wins.
  const [order] = useState(() => ++rendered);
  if (server !== null) record(server, { title, meta });
  const metaKey = JSON.stringify(meta ?? {});
  useEffect(() => {
    mounted.set(order, { title, meta: JSON.parse(metaKey) as Record<string, string> });
    apply();
    return () => {
      mounted.delete(order);
      apply();
    };
  }, [order, title, metaKey]);
  return null;
}
