/**
 * The cache key scheme shared by generated hooks and invalidation.
 *
 * @module
 */

/** The query key of a call: `["mizan", name, args]`. */
export type MizanQueryKey = readonly ["mizan", string, unknown];

/**
 * The TanStack Query key of the query `name` called with `args`:
 * `["mizan", name, args ?? {}]`. `undefined` args and `{}` give the same key,
 * and TanStack hashes object keys in sorted order, so the key is stable.
 * Invalidate every cached call of one function with the prefix `["mizan", name]`.
 */
export function queryKey(name: string, args?: unknown): MizanQueryKey {
  return ["mizan", name, args ?? {}];
}
