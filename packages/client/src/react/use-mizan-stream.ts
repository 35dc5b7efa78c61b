/**
 * {@link useMizanStream} and {@link useMizanStreamMutation}: the hooks
 * generated hooks of stream functions delegate to.
 *
 * @module
 */

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { isAbortError } from "../abort.js";
import { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";

/**
 * Where a stream is: `idle` (not started, or cancelled), `streaming` (items
 * may still come), `done` (its end line came) or `error` (it failed; see
 * `error`).
 */
export type StreamStatus = "idle" | "streaming" | "done" | "error";

/** What a stream hook gives. */
export interface StreamHookResult<TItem> {
  /** The items so far, oldest first (the last `maxItems` when set). */
  items: TItem[];
  status: StreamStatus;
  /** The failure, when `status` is `error`. */
  error: MizanError | null;
  /** Aborts the request (the server drops the stream); `status` becomes `idle`, `items` stay. */
  cancel: () => void;
}

/** Options of a stream query's hook (`useCountdown(args, options)`). */
export interface StreamHookOptions<TItem> {
  /** `false` holds the stream back (`idle`); it starts when this turns `true`. Default `true`. */
  enabled?: boolean;
  /** Keep only the last `maxItems` items (for a stream without end). Default: all. */
  maxItems?: number;
  /** Called with each item as it arrives. */
  onItem?: (item: TItem) => void;
}

/** Options of a stream mutation's hook. */
export type StreamMutationHookOptions<TItem> = Omit<StreamHookOptions<TItem>, "enabled">;

/** A stream mutation's hook: {@link StreamHookResult} plus `start(args)`. */
export interface StreamMutationHookResult<TArgs, TItem> extends StreamHookResult<TItem> {
  /** Starts the stream with `args` (cancelling one already running); `items` start empty. */
  start: (args: TArgs) => void;
}

interface State<TItem> {
  items: TItem[];
  status: StreamStatus;
  error: MizanError | null;
}

type StreamFn<TArgs, TItem> = (args: TArgs, opts: CallOptions) => AsyncIterable<TItem>;

function asMizanError(e: unknown): MizanError {
  if (e instanceof MizanError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new MizanError({ code: "NETWORK", status: 0, message, cause: e });
}

/** One running stream, and the state it feeds. */
interface Run {
  controller: AbortController;
}

/**
 * The shared engine: runs `fn(args)` into React state, items applied once
 * per task (a network chunk's lines in one render), cancelled on unmount.
 */
function useStreamRunner<TArgs, TItem>(
  fn: StreamFn<TArgs, TItem>,
  options: StreamMutationHookOptions<TItem> | undefined,
  initial: StreamStatus,
  onDone?: () => void,
) {
  const [state, setState] = useState<State<TItem>>({ items: [], status: initial, error: null });
  const run = useRef<Run | null>(null);
  const latest = useRef({ fn, options, onDone });
  latest.current = { fn, options, onDone };

  const stop = useCallback(() => {
    run.current?.controller.abort();
    run.current = null;
  }, []);

  const begin = useCallback((args: TArgs) => {
    run.current?.controller.abort();
    const current: Run = { controller: new AbortController() };
    run.current = current;
    const live = (): boolean => run.current === current;
    setState({ items: [], status: "streaming", error: null });
    let pending: TItem[] = [];
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      if (!live() || pending.length === 0) return;
      const arrived = pending;
      pending = [];
      const max = latest.current.options?.maxItems;
      setState((s) => {
        const items = s.items.concat(arrived);
        return { ...s, items: max !== undefined && items.length > max ? items.slice(items.length - max) : items };
      });
    };
    void (async () => {
      try {
        for await (const item of latest.current.fn(args, { signal: current.controller.signal })) {
          if (!live()) return;
          latest.current.options?.onItem?.(item);
          pending.push(item);
          if (!scheduled) {
            scheduled = true;
            setTimeout(flush, 0);
          }
        }
        if (!live()) return;
        flush();
        run.current = null;
        setState((s) => ({ ...s, status: "done" }));
        latest.current.onDone?.();
      } catch (e) {
        if (!live()) return;
        flush();
        run.current = null;
        if (current.controller.signal.aborted && isAbortError(e)) return;
        setState((s) => ({ ...s, status: "error", error: asMizanError(e) }));
      }
    })();
  }, []);

  const cancel = useCallback(() => {
    if (run.current === null) return;
    stop();
    setState((s) => (s.status === "streaming" ? { ...s, status: "idle" } : s));
  }, [stop]);

  useEffect(() => stop, [stop]);
  return { state, begin, cancel, stop };
}

/**
 * A stream query's items in React state: runs `fn(args)` (the generated
 * client function, an async iterator) while mounted, from the first render
 * (`streaming`, so a server render and its hydration agree), again from
 * scratch when `args` change (compared as JSON), and aborts it on unmount or
 * `cancel()` (the server drops the stream). No cache: each mounted hook
 * has its own request.
 */
export function useMizanStream<TArgs, TItem>(
  name: string,
  fn: StreamFn<TArgs, TItem>,
  args: TArgs,
  options?: StreamHookOptions<TItem>,
): StreamHookResult<TItem> {
  const enabled = options?.enabled ?? true;
  const { state, begin, cancel, stop } = useStreamRunner(fn, options, enabled ? "streaming" : "idle");
  const key = `${name}:${JSON.stringify(args ?? {})}`;
  const argsRef = useRef(args);
  argsRef.current = args;
  useEffect(() => {
    if (!enabled) return;
    begin(argsRef.current);
    return stop;
  }, [key, enabled, begin, stop]);
  return useMemo(() => ({ ...state, cancel }), [state, cancel]);
}

/**
 * A stream mutation's items in React state: nothing runs until
 * `start(args)`; a stream that ends well invalidates the queries named in
 * `invalidates` (as mutation hooks do on success). Aborted on unmount.
 */
export function useMizanStreamMutation<TArgs, TItem>(
  fn: StreamFn<TArgs, TItem>,
  invalidates: readonly string[],
  options?: StreamMutationHookOptions<TItem>,
): StreamMutationHookResult<TArgs, TItem> {
  const queryClient = useQueryClient();
  const onDone = (): void => {
    for (const name of invalidates) void queryClient.invalidateQueries({ queryKey: ["mizan", name] });
  };
  const { state, begin, cancel } = useStreamRunner(fn, options, "idle", onDone);
  return useMemo(() => ({ ...state, cancel, start: begin }), [state, cancel, begin]);
}
