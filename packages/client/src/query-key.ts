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

/** The key of a cursor query's infinite query: `["mizan", name, args, "infinite"]`. */
export type MizanInfiniteQueryKey = readonly ["mizan", string, unknown, "infinite"];

/**
 * The TanStack Query key of the infinite query of cursor query `name` with
 * `args` (its arguments but the cursor): `["mizan", name, args ?? {},
 * "infinite"]`. It starts with the prefix `["mizan", name]`, so invalidating
 * the query invalidates its infinite query too, and it differs from every
 * {@link queryKey} of the query (its data is the list of pages).
 */
export function infiniteQueryKey(name: string, args?: unknown): MizanInfiniteQueryKey {
  return ["mizan", name, args ?? {}, "infinite"];
}
