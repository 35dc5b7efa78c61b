/**
 * Same-tick call merging: calls queued during one synchronous run are sent
 * together on the next microtask, as one `POST batch` (split past
 * `maxBatch`), or as a plain call when alone. Each call settles with its own
 * result, and each call's abort signal is honoured independently.
 *
 * @module
 * @internal
 */

import { abortReason } from "./abort.js";
import type { Outcome } from "./decode.js";
import type { Transport, WireCall } from "./transport.js";

/** One HTTP request carrying one or more calls. */
interface Group {
  readonly controller: AbortController;
  readonly items: Pending[];
}

/** A call waiting for its result. Settles exactly once. */
class Pending {
  settled = false;
  /** Set once the call has left the queue. */
  group: Group | undefined;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    readonly call: WireCall,
    readonly signal: AbortSignal | undefined,
    private readonly resolve: (data: unknown) => void,
    private readonly reject: (error: unknown) => void,
    abortHandler: (p: Pending) => void,
  ) {
    if (signal) {
      this.onAbort = () => abortHandler(this);
      signal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  settle(outcome: Outcome): void {
    if (outcome.ok) this.finish(() => this.resolve(outcome.data));
    else this.fail(outcome.error);
  }

  fail(error: unknown): void {
    this.finish(() => this.reject(error));
  }

  private finish(action: () => void): void {
    if (this.settled) return;
    this.settled = true;
    if (this.signal && this.onAbort) this.signal.removeEventListener("abort", this.onAbort);
    action();
  }
}

/** Queues calls and flushes them on a microtask. */
export class Batcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly transport: Transport,
    private readonly maxBatch: number,
  ) {}

  /** Queues `call`; the promise settles with its own result. */
  enqueue(call: WireCall, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const pending = new Pending(call, signal, resolve, reject, (p) => this.abort(p));
      this.queue.push(pending);
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  private abort(p: Pending): void {
    if (p.settled) return;
    p.fail(abortReason(p.signal as AbortSignal));
    const group = p.group;
    if (group === undefined) {
      // Still queued: it never goes on the wire.
      this.queue = this.queue.filter((q) => q !== p);
    } else if (group.items.every((q) => q.settled)) {
      // Nobody is waiting for this request any more.
      group.controller.abort(abortReason(p.signal as AbortSignal));
    }
  }

  private flush(): void {
    this.scheduled = false;
    const items = this.queue;
    this.queue = [];
    for (let i = 0; i < items.length; i += this.maxBatch) {
      void this.send(items.slice(i, i + this.maxBatch));
    }
  }

  private async send(items: Pending[]): Promise<void> {
    const group: Group = { controller: new AbortController(), items };
    for (const p of items) p.group = group;
    const signal = group.controller.signal;
    try {
      if (items.length === 1) {
        const only = items[0] as Pending;
        only.settle(await this.transport.call(only.call, signal));
      } else {
        const outcomes = await this.transport.batch(
          items.map((p) => p.call),
          signal,
        );
        outcomes.forEach((outcome, i) => items[i]?.settle(outcome));
      }
    } catch (e) {
      // An abort of the whole request (every item already settled) or an
      // unexpected failure such as a throwing `headers` function.
      for (const p of items) p.fail(e);
    }
  }
}
