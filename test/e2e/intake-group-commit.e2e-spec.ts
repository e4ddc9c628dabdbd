import { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { call, complaintBody, Harness, startHarness } from '../support/harness';
import { superuserQuery } from '../support/test-env';

const BOOM = 'intake_group_commit_boom';

/** Every row a submission writes, for the complaints whose description carries `marker`. */
async function written(h: Harness, marker: string) {
  const [row]: { complaints: number; audits: number; outbox: number; numbers: number }[] = await h.db.query(
    `SELECT count(*)::int AS complaints,
            count(DISTINCT c.tracking_number)::int AS numbers,
            (SELECT count(*)::int FROM audit_entry e JOIN complaint x ON e.stream = 'complaint:' || x.id WHERE x.description LIKE $1) AS audits,
            (SELECT count(*)::int FROM outbox_message o JOIN complaint x ON o.payload->>'complaintId' = x.id::text WHERE x.description LIKE $1) AS outbox
       FROM complaint c WHERE c.description LIKE $1`,
    [`%${marker}%`],
  );
  return row;
}

/**
 * Intake's group commit (SubmitComplaintHandler): submissions that arrive together are written by
 * one statement, each still answered only after its own rows have committed, and a submission that
 * breaks its group fails alone. One statement in flight, so the group forms while it runs.
 */
describe('intake group commit', () => {
  let h: Harness;
  /** complaints written by each intake statement the api sent */
  let intakeStatements: number[];

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { INTAKE_BATCHES_IN_FLIGHT: '1', INTAKE_BATCH_SIZE: '16' } });
    const pool = (h.db.driver as PostgresDriver).master as Pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    // Records how many complaints each intake statement writes (its first column array: the
    // complaints' ids, as no submission here has a key); each still runs on the real database.
    jest.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) => {
      const config = args[0] as { name?: string; values?: unknown[][] } | undefined;
      if (config?.name?.startsWith('submit-complaint')) intakeStatements.push(config.values![0].length);
      return query(...args);
    }) as never);
    // A real constraint of the database that one submission trips, as a colliding row would (made by
    // the superuser: the apps' role may not create functions or triggers).
    await superuserQuery(`CREATE OR REPLACE FUNCTION test_intake_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.description LIKE '%${BOOM}%' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$`);
    await superuserQuery(`CREATE TRIGGER test_intake_boom BEFORE INSERT ON complaint FOR EACH ROW EXECUTE FUNCTION test_intake_boom()`);
  });

  beforeEach(() => {
    intakeStatements = [];
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await superuserQuery(`DROP TRIGGER IF EXISTS test_intake_boom ON complaint`);
    await superuserQuery(`DROP FUNCTION IF EXISTS test_intake_boom()`);
    await h.close();
  });

  it('writes submissions that arrive together with fewer statements than submissions, each answered with its own number', async () => {
    const marker = `group-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) => call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ description: `Jalan berlubang ${marker} nomor ${i}, mohon segera diperbaiki.` }) })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(24).fill(201));
    expect(new Set(responses.map((r) => r.body.tracking_number)).size).toBe(24);
    expect(await written(h, marker)).toEqual({ complaints: 24, numbers: 24, audits: 24, outbox: 24 });
    expect(intakeStatements.length).toBeLessThan(24);
    expect(intakeStatements.reduce((a, b) => a + b, 0)).toBe(24);
    expect(Math.max(...intakeStatements)).toBeGreaterThan(1);
  });

  it('fails only the submission that breaks its group, and leaves nothing of it behind', async () => {
    const marker = `split-${Date.now()}`;
    const bodies = Array.from({ length: 12 }, (_, i) =>
      complaintBody({ description: `Sampah menumpuk ${marker} nomor ${i}${i === 7 ? ` ${BOOM}` : ''}, sudah seminggu tidak diangkut.` }),
    );
    const responses = await Promise.all(bodies.map((body) => call(h, 'POST', '/api/v1/complaints', { body })));
    expect(responses.map((r) => r.status)).toEqual(bodies.map((_, i) => (i === 7 ? 500 : 201)));
    expect(responses[7].headers['content-type']).toContain('application/problem+json');
    expect(await written(h, marker)).toEqual({ complaints: 11, numbers: 11, audits: 11, outbox: 11 });
    expect(await written(h, BOOM)).toEqual({ complaints: 0, numbers: 0, audits: 0, outbox: 0 });
    // The group that held it was written again one by one.
    expect(intakeStatements.filter((n) => n === 1).length).toBeGreaterThan(1);
  });
});
