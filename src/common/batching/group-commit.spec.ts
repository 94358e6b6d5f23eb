import { GroupCommit } from './group-commit';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('GroupCommit', () => {
  it('runs callers of the same tick as one batch and answers each with its own result', async () => {
    const batches: number[][] = [];
    const committer = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      return items.map((n) => n * 10);
    }, { maxBatch: 100, maxInFlight: 1 });
    await expect(Promise.all([1, 2, 3].map((n) => committer.submit(n)))).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives while a batch runs into the next one, never more than maxInFlight at once', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    let running = 0;
    let maxRunning = 0;
    const committer = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      maxRunning = Math.max(maxRunning, ++running);
      if (batches.length === 1) await gate.promise;
      running--;
      return items;
    }, { maxBatch: 100, maxInFlight: 1 });
    const first = committer.submit(1);
    await new Promise(setImmediate);
    const later = [2, 3, 4].map((n) => committer.submit(n));
    await new Promise(setImmediate);
    expect(batches).toEqual([[1]]);
    gate.resolve();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(maxRunning).toBe(1);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const committer = new GroupCommit(async (items: number[]) => {
      sizes.push(items.length);
      return items;
    }, { maxBatch: 2, maxInFlight: 4 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => committer.submit(n)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...sizes)).toBe(2);
  });

  it('rejects every caller of a failed batch and carries on with the next', async () => {
    let calls = 0;
    const committer = new GroupCommit(async (items: number[]) => {
      if (++calls === 1) throw new Error('database down');
      return items;
    }, { maxBatch: 10, maxInFlight: 1 });
    const failed = [1, 2].map((n) => committer.submit(n));
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
    await expect(committer.submit(3)).resolves.toBe(3);
  });

  it('waits lingerMs to grow a batch, and drain runs what is still waiting', async () => {
    const batches: number[][] = [];
    const committer = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      return items;
    }, { maxBatch: 10, maxInFlight: 1, lingerMs: () => 50 });
    const a = committer.submit(1);
    await new Promise((r) => setTimeout(r, 5));
    const b = committer.submit(2);
    expect(committer.waiting).toBe(2);
    await committer.drain();
    await Promise.all([a, b]);
    expect(batches[0]).toEqual([1, 2]);
    expect(committer.waiting).toBe(0);
  });

  it('answers an aborted caller at once, dropping its item if no batch has taken it yet', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const committer = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      await gate.promise;
      return items;
    }, { maxBatch: 10, maxInFlight: 1 });
    const running = new AbortController();
    const waiting = new AbortController();
    const first = committer.submit(1, running.signal);
    await new Promise(setImmediate);
    const second = committer.submit(2, waiting.signal);
    running.abort(new Error('gave up'));
    waiting.abort(new Error('gave up'));
    await expect(first).rejects.toThrow('gave up');
    await expect(second).rejects.toThrow('gave up');
    expect(committer.waiting).toBe(0);
    gate.resolve();
    await expect(committer.submit(3)).resolves.toBe(3);
    expect(batches).toEqual([[1], [3]]);
  });
});
