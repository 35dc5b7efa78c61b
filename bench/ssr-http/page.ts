/**
 * The HTML document the in-process Bun setup serves: byte for byte the page
 * `mizan::render` makes for the bench app (no title, `lang="en"`, empty
 * contexts, no nonce), with the same headers. `page.rs` is the sidecar's
 * copy; run.sh compares the three setups' pages before it measures.
 */

/** The response headers of a page, as mizan sends them by default (the CSRF cookie aside). */
export const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "cache-control": "no-cache",
} as const;

const SCRIPT_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** JSON made safe inside `<script type="application/json">`, as mizan does it. */
function scriptJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c] ?? c);
}

/** The bundle URL of a component's page: `$SSR_HTTP_SCRIPT_<NAME>` (run.sh passes the bench app's). */
export function scriptUrl(component: string): string {
  const name = `SSR_HTTP_SCRIPT_${component.toUpperCase()}`;
  const url = process.env[name];
  if (!url) throw new Error(`$${name} is not set: the bundle URL of ${component}'s page`);
  return url;
}

/** The page around a render: `html` in the root, the props script, empty contexts, the bundle. */
export function documentFor(html: string, propsJson: string, script: string): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title></title>\n' +
    '</head>\n<body>\n<div id="mizan-root">' +
    html +
    '</div>\n<script type="application/json" id="mizan-props">' +
    scriptJson(propsJson) +
    '</script>\n<script type="application/json" id="mizan-contexts">{}</script>\n' +
    `<script type="module" src="${script}"></script>\n</body>\n</html>\n`
  );
}
