import type { PublicStatistics, PublicStatisticsQuery } from '@aduan/sla';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StatisticsController } from './statistics.controller';

/** A count the test finishes by hand, to see what readers get while it runs. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const answer = (n: number) => ({ tenant: { code: '36.04', name: 'Kabupaten Serang' }, n }) as unknown as PublicStatistics;

/** Reads the body a reader got (identity encoding: the fake request accepts none other). */
async function read(controller: StatisticsController): Promise<number> {
  let body: Buffer | undefined;
  const reply = {
    headers: () => reply,
    header: () => reply,
    status: () => reply,
    type: () => reply,
    send: async (b?: Buffer) => void (body = b),
  };
  await controller.get({ tenant: '36.04' }, { headers: {} } as FastifyRequest, reply as unknown as FastifyReply);
  return (JSON.parse(body!.toString('utf8')) as { n: number }).n;
}

describe('StatisticsController: one count at a time, readers never wait once an answer is held', () => {
  let counts: ReturnType<typeof deferred<PublicStatistics>>[];
  let controller: StatisticsController;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    counts = [];
    const query = { forTenant: jest.fn(() => counts[counts.push(deferred<PublicStatistics>()) - 1].promise) };
    controller = new StatisticsController(query as unknown as PublicStatisticsQuery);
  });
  afterEach(() => jest.useRealTimers());

  it('counts once for ten readers who arrive before the first answer, and gives them all that answer', async () => {
    const readers = Array.from({ length: 10 }, () => read(controller));
    await Promise.resolve();
    expect(counts).toHaveLength(1);
    counts[0].resolve(answer(1));
    expect(await Promise.all(readers)).toEqual(Array(10).fill(1));
  });

  it('serves the held answer at once while the next is counted, then the new one', async () => {
    const first = read(controller);
    counts[0].resolve(answer(1));
    await first;
    expect(await read(controller)).toBe(1);
    expect(counts).toHaveLength(1);

    jest.setSystemTime(new Date('2026-12-04T10:01:01Z'));
    expect(await Promise.all([read(controller), read(controller)])).toEqual([1, 1]);
    expect(counts).toHaveLength(2);
    counts[1].resolve(answer(2));
    await counts[1].promise;
    await new Promise((r) => setImmediate(r));
    expect(await read(controller)).toBe(2);
    expect(counts).toHaveLength(2);
  });

  it('keeps serving the held answer when a count fails, and counts again on the next read', async () => {
    const first = read(controller);
    counts[0].resolve(answer(1));
    await first;
    jest.setSystemTime(new Date('2026-12-04T10:01:01Z'));
    expect(await read(controller)).toBe(1);
    counts[1].reject(new Error('connection terminated'));
    await new Promise((r) => setImmediate(r));
    expect(await read(controller)).toBe(1);
    expect(counts).toHaveLength(3);
  });

  it('makes the reader wait for a fresh count once the held answer is ten minutes old', async () => {
    const first = read(controller);
    counts[0].resolve(answer(1));
    await first;
    jest.setSystemTime(new Date('2026-12-04T10:10:01Z'));
    let got: number | undefined;
    const late = read(controller).then((n) => (got = n));
    await new Promise((r) => setImmediate(r));
    expect(got).toBeUndefined();
    counts[1].resolve(answer(2));
    await late;
    expect(got).toBe(2);
  });
});
