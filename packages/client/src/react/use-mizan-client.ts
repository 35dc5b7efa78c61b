/**
 * {@link useMizanClient}.
 *
 * @module
 */

import { useContext } from "react";
import type { MizanClient } from "../client.js";
import { getClient } from "../default-client.js";
import { MizanClientContext } from "./context.js";

/**
 * The client of the nearest `MizanProvider`, or the default client
 * (`getClient()`) when there is none.
 */
export function useMizanClient(): MizanClient {
  return useContext(MizanClientContext) ?? getClient();
}
