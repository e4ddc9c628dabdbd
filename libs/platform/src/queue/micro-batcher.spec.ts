import { BatchOutcome, MicroBatcher } from './micro-batcher';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** One turn of the event loop: the batcher starts batches from setImmediate, and settled promises run their callbacks. */
const tick = () => new Promise<void>((r) => setImmediate(r));

const ok = <R>(value: R): BatchOutcome<R> => ({ ok: true, value });

/** A `run` that records each batch and how many batches were running at once. */
function recorder<T, R>(answer: (items: readonly T[]) => Promise<BatchOutcome<R>[]>) {
  const calls: T[][] = [];
  let running = 0;
  let maxRunning = 0;
  const run = async (items: readonly T[]): Promise<BatchOutcome<R>[]> => {
    calls.push([...items]);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    try {
      return await answer(items);
    } finally {
      running -= 1;
    }
  };
  return { run, calls, maxRunning: () => maxRunning };
}

describe('MicroBatcher', () => {
  it('runs items submitted in the same tick as one batch and hands each submitter its own result', async () => {
    const r = recorder<string, string>(async (items) => items.map((i) => ok(i.toUpperCase())));
    const batcher = new MicroBatcher({ run: r.run, maxSize: 50, maxInFlight: 2 });
    const results = await Promise.all(['a', 'b', 'c'].map((i) => batcher.submit(i)));
    expect(r.calls).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual(['A', 'B', 'C']);
  });

  it('splits a burst into batches of at most maxSize, keeping the order', async () => {
    const r = recorder<number, number>(async (items) => items.map((i) => ok(i * 10)));
    const batcher = new MicroBatcher({ run: r.run, maxSize: 3, maxInFlight: 10 });
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const results = await Promise.all(items.map((i) => batcher.submit(i)));
    expect(r.calls).toEqual([[1, 2, 3], [4, 5, 6], [7, 8]]);
    expect(results).toEqual(items.map((i) => i * 10));
  });

  it('runs at most maxInFlight batches at once', async () => {
    const gates = new Map<number, Deferred>();
    const r = recorder<number, number>(async (items) => {
      const gate = deferred();
      gates.set(items[0], gate);
      await gate.promise;
      return items.map(ok);
    });
    const batcher = new MicroBatcher({ run: r.run, maxSize: 1, maxInFlight: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map((i) => batcher.submit(i)));
    await tick();
    expect(r.calls).toEqual([[1], [2]]);
    await tick();
    expect(r.calls).toHaveLength(2);

    gates.get(1)!.resolve();
    await tick();
    expect(r.calls).toEqual([[1], [2], [3]]);

    for (const i of [2, 3, 4, 5]) {
      while (!gates.has(i)) await tick();
      gates.get(i)!.resolve();
    }
    expect(await all).toEqual([1, 2, 3, 4, 5]);
    expect(r.maxRunning()).toBe(2);
  });

  it('puts the items that arrive while batches are in flight together into the next batch', async () => {
    const gate = deferred();
    const r = recorder<string, string>(async (items) => {
      if (items[0] === 'first') await gate.promise;
      return items.map(ok);
    });
    const batcher = new MicroBatcher({ run: r.run, maxSize: 10, maxInFlight: 1 });
    const first = batcher.submit('first');
    await tick();
    expect(r.calls).toEqual([['first']]);
    // Separate ticks: without a batch in flight each would start a batch of its own.
    const later: Promise<string>[] = [];
    for (const i of ['b', 'c', 'd']) {
      later.push(batcher.submit(i));
      await tick();
    }
    expect(r.calls).toHaveLength(1);
    gate.resolve();
    expect(await first).toBe('first');
    expect(await Promise.all(later)).toEqual(['b', 'c', 'd']);
    expect(r.calls).toEqual([['first'], ['b', 'c', 'd']]);
  });

  it('rejects only the item whose outcome is a failure, without running anything again', async () => {
    const refused = new Error('refused');
    const r = recorder<number, number>(async (items) => items.map((i) => (i === 2 ? { ok: false, error: refused } : ok(i))));
    const batcher = new MicroBatcher({ run: r.run, maxSize: 10, maxInFlight: 1 });
    const [one, two, three] = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(one).toEqual({ status: 'fulfilled', value: 1 });
    expect(two).toEqual({ status: 'rejected', reason: refused });
    expect(three).toEqual({ status: 'fulfilled', value: 3 });
    expect(r.calls).toEqual([[1, 2, 3]]);
  });

  it('when a batch throws, runs each item again alone, one at a time, so the error lands on its own item', async () => {
    const errors = new Map<string, Error>();
    const r = recorder<string, string>(async (items) => {
      // A turn of the event loop inside run, so retries started together would overlap.
      await tick();
      if (items.includes('bad')) {
        const error = new Error(`failed: ${items.join(',')}`);
        errors.set(items.join(','), error);
        throw error;
      }
      return items.map(ok);
    });
    const batcher = new MicroBatcher({ run: r.run, maxSize: 10, maxInFlight: 3 });
    const settled = await Promise.allSettled(['a', 'bad', 'c'].map((i) => batcher.submit(i)));
    expect(r.calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    expect(r.maxRunning()).toBe(1);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'a' });
    expect(settled[1]).toEqual({ status: 'rejected', reason: errors.get('bad') });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 'c' });
  });

  it('treats a run that answers the wrong number of outcomes as a failed batch', async () => {
    const r = recorder<string, string>(async (items) => (items.length > 1 ? [ok(items[0])] : items.map(ok)));
    const batcher = new MicroBatcher({ run: r.run, maxSize: 10, maxInFlight: 1 });
    expect(await Promise.all(['a', 'b'].map((i) => batcher.submit(i)))).toEqual(['a', 'b']);
    // The one-item batch answered in full: the two-item answer was not taken, both were re-run.
    expect(r.calls).toEqual([['a', 'b'], ['a'], ['b']]);

    const silent = new MicroBatcher<string, string>({ run: async () => [], maxSize: 10, maxInFlight: 1 });
    await expect(silent.submit('x')).rejects.toThrow('batch of 1 answered 0 outcomes');
  });

  it('refuses a maxSize or maxInFlight below 1', () => {
    const run = async (items: readonly string[]) => items.map(ok);
    expect(() => new MicroBatcher({ run, maxSize: 0, maxInFlight: 1 })).toThrow(/at least 1/);
    expect(() => new MicroBatcher({ run, maxSize: 1, maxInFlight: 0 })).toThrow(/at least 1/);
    expect(() => new MicroBatcher({ run, maxSize: 1, maxInFlight: 1 })).not.toThrow();
  });
});
