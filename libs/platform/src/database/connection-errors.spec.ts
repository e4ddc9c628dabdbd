import { Backoff, isConnectionLost } from './connection-errors';

describe('isConnectionLost', () => {
  it.each([
    ['a terminated backend (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection the server dropped', new Error('Connection terminated unexpectedly')],
    ['a client already broken', new Error('Client has encountered a connection error and is not queryable')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a server starting up (57P03)', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a checkout that timed out', new Error('timeout exceeded when trying to connect')],
    ['TypeORM wrapping the driver error', Object.assign(new Error('query failed'), { driverError: { code: '57P01', message: 'terminating connection' } })],
  ])('%s: yes', (_, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })],
    ['a serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    ['a bad value', Object.assign(new Error('invalid byte sequence'), { code: '22021' })],
    ['no error at all', undefined],
  ])('%s: no', (_, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});

describe('Backoff', () => {
  it('doubles from the first delay up to the cap, each in its upper half, and starts over after reset()', () => {
    const b = new Backoff(100, 1_000);
    const delays = Array.from({ length: 6 }, () => b.next());
    const ceilings = [100, 200, 400, 800, 1000, 1000];
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(ceilings[i] / 2);
      expect(d).toBeLessThanOrEqual(ceilings[i]);
    });
    expect(b.failures).toBe(6);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBeLessThanOrEqual(100);
  });
});
