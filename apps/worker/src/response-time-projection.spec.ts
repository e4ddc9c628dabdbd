import { AppConfig } from '@aduan/platform';
import { ResponseTimeProjector } from '@aduan/sla';
import { DataSource } from 'typeorm';
import { ResponseTimeProjection } from './response-time-projection';

describe('ResponseTimeProjection on shutdown', () => {
  it('lets a catch-up of a long backlog end after the round under way', async () => {
    // A backlog that never runs out: each round commits and says there is more.
    const projector = new ResponseTimeProjector(null as unknown as DataSource, null as never);
    let rounds = 0;
    let started!: () => void;
    const first = new Promise<void>((resolve) => (started = resolve));
    jest.spyOn(projector, 'round').mockImplementation(async () => {
      rounds++;
      started();
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { complaints: 10, leafIdx: rounds, more: true };
    });
    const projection = new ResponseTimeProjection({ AUDIT_SEAL_INTERVAL_MS: 1000 } as AppConfig, projector);
    projection.onApplicationBootstrap();
    await first;
    const stopped = projection.beforeApplicationShutdown();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, 2000, 'still running')));
    await expect(Promise.race([stopped.then(() => 'stopped'), late])).resolves.toBe('stopped');
    clearTimeout(timer);
    expect(rounds).toBe(1);
  });
});

describe('ResponseTimeProjector.catchUp', () => {
  it('stops between rounds once its signal is aborted, and rounds on to the end without one', async () => {
    const projector = new ResponseTimeProjector(null as unknown as DataSource, null as never);
    const stop = new AbortController();
    const round = jest.spyOn(projector, 'round').mockImplementation(async () => {
      if (round.mock.calls.length === 2) stop.abort();
      const more = round.mock.calls.length < 4;
      return { complaints: more ? 5 : 0, leafIdx: round.mock.calls.length, more };
    });
    await expect(projector.catchUp(stop.signal)).resolves.toBe(10);
    expect(round).toHaveBeenCalledTimes(2);
    round.mockClear();
    await expect(projector.catchUp()).resolves.toBe(15);
  });
});
