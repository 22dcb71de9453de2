/**
 * The worker side of worker_pool.ts: a worker module calls {@link servePool} once with what to do at `init` and how to
 * run one task; this answers the pool's messages (ready or initFailed, then progress and done or failed per task).
 */
import type { PoolRequest, PoolResponse } from "./worker_pool.ts";

declare const self: {
  onmessage: ((e: MessageEvent<PoolRequest<unknown, unknown>>) => void) | null;
  postMessage(msg: PoolResponse<unknown, unknown>, transfer?: Transferable[]): void;
};

/** A task's result with the buffers to transfer (not copy) back to the main thread. */
export interface Transferring<R> {
  value: R;
  transfer?: Transferable[];
}

/** What a pool worker does. */
export interface PoolHandlers<I, T, P, R> {
  /** Runs once before the first task: start the backend, keep shared data. */
  init(init: I): Promise<void>;
  /** Runs one task; `progress` streams messages back while it runs (with buffers to transfer, if any). */
  run(task: T, progress: (p: P, transfer?: Transferable[]) => void): Promise<Transferring<R>>;
}

/** Answers the pool's messages in this worker with `handlers`. */
export function servePool<I, T, P, R>(handlers: PoolHandlers<I, T, P, R>): void {
  self.onmessage = (e) => {
    const msg = e.data as PoolRequest<I, T>;
    if (msg.type === "init") {
      handlers.init(msg.init).then(
        () => self.postMessage({ type: "ready" }),
        (err) => self.postMessage({ type: "initFailed", message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    const { index } = msg;
    handlers
      .run(msg.task, (progress, transfer) => self.postMessage({ type: "progress", index, progress }, transfer))
      .then(
        (r) => self.postMessage({ type: "done", index, result: r.value }, r.transfer),
        (err) => self.postMessage({ type: "failed", index, message: err instanceof Error ? err.message : String(err) }),
      );
  };
}
