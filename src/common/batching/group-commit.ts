export interface GroupCommitOptions {
  /** Items per call of `run` at most. */
  maxBatch: number;
  /** Calls of `run` running at once at most; while all are busy, new items accumulate into the next batch. */
  maxInFlight: number;
  /** Extra wait (ms) before a batch that is not yet full is run, to grow batches; 0 = after the current tick. */
  lingerMs?: () => number;
}

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Natural group commit: callers submit one item each and get their own result, while the work runs in
 * batches. An idle committer runs at once (after the current tick, so simultaneous callers share it);
 * while `maxInFlight` batches are running, new items wait and go together when one finishes. Under load
 * batches grow by themselves, at low load nobody waits. `run` answers one result per item, in order;
 * if it throws, every caller of that batch gets the error.
 */
export class GroupCommit<I, O> {
  private pending: Array<Pending<I, O>> = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  /**
   * `signal`: the caller stops waiting when it aborts (rejected with its reason). An item still waiting is dropped;
   * one already in a running batch stays in it, only its answer is no longer awaited.
   */
  submit(item: I, signal?: AbortSignal): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => this.abandon(entry, signal?.reason);
      const settled = () => signal?.removeEventListener('abort', onAbort);
      const entry: Pending<I, O> = { item, resolve: (result) => (settled(), resolve(result)), reject: (error) => (settled(), reject(error)) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.push(entry);
      this.schedule();
    });
  }

  /** Items submitted and not yet taken into a batch. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Runs everything still waiting (shutdown). */
  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.flush();
  }

  private abandon(entry: Pending<I, O>, reason: unknown): void {
    const index = this.pending.indexOf(entry);
    if (index >= 0) this.pending.splice(index, 1);
    entry.reject(reason);
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      void this.flush();
    };
    const linger = this.options.lingerMs?.() ?? 0;
    if (linger > 0 && this.pending.length < this.options.maxBatch) setTimeout(go, linger);
    else setImmediate(go);
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    this.inFlight += 1;
    try {
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }
}
