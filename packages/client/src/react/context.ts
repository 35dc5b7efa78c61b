/**
 * React context carrying the {@link MizanClient}.
 *
 * @module
 * @internal
 */

import { createContext } from "react";
import type { MizanClient } from "../client.js";

/** The client provided by the nearest `MizanProvider`; `null` outside one. */
export const MizanClientContext = createContext<MizanClient | null>(null);
MizanClientContext.displayName = "MizanClientContext";
