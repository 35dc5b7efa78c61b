/**
 * Reading the global contexts a server-rendered page carries.
 *
 * The server runs every global context function for the request and embeds
 * the results in `<script type="application/json" id="mizan-contexts">`,
 * keyed by wire name, each the envelope a call would have answered:
 * `{"data": …}` or `{"error": {"code", "message", …}}`. mizan's entries
 * hand the same object to {@link MizanRoot} (the SSR worker for each render,
 * where there is no DOM; the browser entry from the script), and the hooks
 * read it from there, so a component renders the same on both sides.
 *
 * @module
 */

import { decodeEnvelope } from "../decode.js";
import type { MizanError } from "../errors.js";
import { CONTEXTS_ID } from "../page.js";
import { usePageContexts } from "./root.js";

export { CONTEXTS_ID };

/** One embedded context: its value, or the error the server answered with. */
export type PageContext<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: MizanError };

/** The last parsed script text and its value, so repeated reads parse once. */
let parsed: { text: string; value: Record<string, unknown> | undefined } | undefined;

function fromDom(): Record<string, unknown> | undefined {
  if (typeof document === "undefined") return undefined;
  const text = document.getElementById(CONTEXTS_ID)?.textContent;
  if (!text) return undefined;
  if (parsed?.text === text) return parsed.value;
  let value: Record<string, unknown> | undefined;
  try {
    const raw: unknown = JSON.parse(text);
    value = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  } catch {
    value = undefined;
  }
  if (value === undefined) console.error(`mizan: #${CONTEXTS_ID} is not a JSON object; contexts will be fetched`);
  parsed = { text, value };
  return value;
}

/**
 * The context `name` as the server embedded it in this page, or `undefined`
 * when the page carries none (not server-rendered, or not a global context).
 * Read from `contexts` when given (what a {@link MizanRoot} holds), else from
 * the page's `#mizan-contexts` script. An entry that is not an envelope
 * counts as absent.
 */
export function readPageContext<T>(name: string, contexts?: Record<string, unknown>): PageContext<T> | undefined {
  const all = contexts ?? fromDom();
  if (all === undefined || !Object.prototype.hasOwnProperty.call(all, name)) return undefined;
  const outcome = decodeEnvelope(all[name], undefined);
  if (outcome === undefined) return undefined;
  return outcome.ok ? { ok: true, data: outcome.data as T } : { ok: false, error: outcome.error };
}

/**
 * {@link readPageContext} as a hook: the context `name` from the nearest
 * {@link MizanRoot} (on the server, the render's own contexts), else from the
 * page's script.
 */
export function usePageContext<T>(name: string): PageContext<T> | undefined {
  return readPageContext<T>(name, usePageContexts());
}
