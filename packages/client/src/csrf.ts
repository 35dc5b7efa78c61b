/**
 * Double-submit CSRF token: the server sets cookie `mizan_csrf`; unsafe
 * requests echo it in header `x-mizan-csrf`.
 *
 * @module
 */

/** Name of the cookie the server sets with the CSRF token. */
export const CSRF_COOKIE = "mizan_csrf";
/** Name of the header unsafe requests carry the token in. */
export const CSRF_HEADER = "x-mizan-csrf";

/**
 * Reads cookie `name` from `document.cookie`; `undefined` outside a browser
 * or when the cookie is not set.
 */
export function readCookie(name: string): string | undefined {
  const doc = (globalThis as { document?: { cookie?: unknown } }).document;
  const jar = doc?.cookie;
  if (typeof jar !== "string" || jar === "") return undefined;
  for (const part of jar.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** The default CSRF token source: the `mizan_csrf` cookie, when present. */
export function csrfFromCookie(): string | undefined {
  return readCookie(CSRF_COOKIE);
}
