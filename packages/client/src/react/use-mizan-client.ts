/**
 * {@link useMizanClient}.
 *
 * @module
 */

import { useContext } from "react";
import type { MizanClient } from "../client";
import { getClient } from "../default-client";
import { MizanClientContext } from "./context";

/**
 * The client of the nearest `MizanProvider`, or the default client
 * (`getClient()`) when there is none.
 */
export function useMizanClient(): MizanClient {
  return useContext(MizanClientContext) ?? getClient();
}
