/**
 * The process-wide default client generated functions use.
 *
 * @module
 */

import { createClient, type MizanClient } from "./client.js";
import type { ClientOptions } from "./options.js";

let current: MizanClient | undefined;

/**
 * The default client, created with default options on first use unless
 * {@link setClient} or {@link configure} ran before.
 */
export function getClient(): MizanClient {
  current ??= createClient();
  return current;
}

/** Makes `client` the default client. `MizanProvider` does this for its client. */
export function setClient(client: MizanClient): void {
  current = client;
}

/**
 * Replaces the default client with `createClient(options)` and returns it.
 *
 * ```ts
 * configure({ baseUrl: "https://api.example.com/api/mizan", credentials: "include" });
 * ```
 */
export function configure(options: ClientOptions = {}): MizanClient {
  const client = createClient(options);
  setClient(client);
  return client;
}
