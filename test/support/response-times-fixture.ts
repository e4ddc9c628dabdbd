import { AuditRecord, AuditSealer, complaintStream, insertAuditSql, SealedAuditEntry, sealEntry } from '@aduan/audit';
import { SqlStatement } from '@aduan/platform';
import { fillRollup, ResponseTimeProjector, SlaDeadlinePolicy } from '@aduan/sla';
import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A local time in Kabupaten Serang (WIB, UTC+7). */
export const wib = (local: string): Date => new Date(`${local}+07:00`);
/** The end of a local day, where a deadline of N hari kerja ends. */
export const endOfDay = (date: string): Date => wib(`${date}T23:59:59.999`);

export interface Fixture {
  a: { id: string; tn: string; first: string; second: string };
  b: { id: string; tn: string; first: string; second: string };
  units: Record<'kel' | 'kec', { id: string; code: string }>;
}

/**
 * Two complaints of Kabupaten Serang written as the pipeline leaves them, with their audit chains
 * at hand-chosen times (docs/response-times.md, "The fixture"): A is forwarded, answered late,
 * paused, resolved, reopened, resolved again and closed, across the holidays of 17 and 25 August
 * 2026 and a first-response deadline a revised holiday table moved; B is never answered and
 * escalates. Answers the ids.
 */
export async function writeFixture(db: DataSource): Promise<Fixture> {
  await clearFixtures(db);
  const [kel, kec] = await Promise.all(
    ['KEL.36.04.09.2001', 'KEC.36.04.09'].map(async (code) => {
      const [u]: { id: string }[] = await db.query(`SELECT id FROM unit WHERE code = $1`, [code]);
      return { id: u.id, code };
    }),
  );
  const suffix = randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase();
  const a = { id: randomUUID(), tn: `ADN-260813-${suffix}`, first: randomUUID(), second: randomUUID() };
  const b = { id: randomUUID(), tn: `ADN-260901-${suffix}`, first: randomUUID(), second: randomUUID() };
  const insertComplaint = `INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
      description, anonymous, confidential, status, channel, current_unit_id, current_tier, submitted_at, due_at, resolution_due_at, resolved_at,
      closed_at, assigned_at, updated_at)
    VALUES ($1, $2, 'x', '36.04', $3, '36.04.09.2001', '36.04.09', $4, true, false, $5, 'web', $6, $7, $8, $9, $10, $11, $12, $13, now())`;
  const insertStay = `INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, first_response_working_days,
      responded_at, from_unit_id, via, ended_at, end_reason)
    VALUES ($1, $2, $3, $4, gen_random_uuid(), $5, $6, 3, $7, $8, $9, $10, $11)`;
  await db.transaction(async (m) => {
    await m.query(insertComplaint, [a.id, a.tn, 'SAMPAH', '=SUM(1+1) sampah menumpuk di pasar', 'closed', kec.id, 'camat', wib('2026-08-13T09:00'), null,
      endOfDay('2026-09-11'), wib('2026-09-10T11:00'), wib('2026-09-11T09:00'), null]);
    await m.query(insertStay, [a.first, a.id, kel.id, 'lurah', wib('2026-08-13T09:05'), endOfDay('2026-08-19'), wib('2026-08-19T10:00'), null, 'routed',
      wib('2026-08-19T10:00'), 'forwarded']);
    await m.query(insertStay, [a.second, a.id, kec.id, 'camat', wib('2026-08-19T10:00'), endOfDay('2026-08-24'), wib('2026-08-26T08:00'), kel.id, 'forwarded',
      wib('2026-09-11T09:00'), 'closed']);
    await m.query(insertComplaint, [b.id, b.tn, 'JALAN_RUSAK', 'Jalan berlubang di depan sekolah dasar', 'routed', kec.id, 'camat', wib('2026-09-01T08:00'),
      endOfDay('2026-09-09'), null, null, null, wib('2026-09-05T00:00:03')]);
    await m.query(insertStay, [b.first, b.id, kel.id, 'lurah', wib('2026-09-01T08:05'), endOfDay('2026-09-04'), null, null, 'routed',
      wib('2026-09-05T00:00:03'), 'escalated']);
    await m.query(insertStay, [b.second, b.id, kec.id, 'camat', wib('2026-09-05T00:00:03'), endOfDay('2026-09-09'), null, kel.id, 'escalated', null, null]);
    await m.query(
      `INSERT INTO sla_breach (id, complaint_id, assignment_id, unit_id, tenant_code, kind, due_at, breached_at, escalated_to_unit_id) VALUES
        (gen_random_uuid(), $1, $2, $3, '36.04', 'first_response', $4, $5, NULL),
        (gen_random_uuid(), $6, $7, $8, '36.04', 'first_response', $9, $10, $3)`,
      [a.id, a.second, kec.id, endOfDay('2026-08-24'), wib('2026-08-25T00:00:04'), b.id, b.first, kel.id, endOfDay('2026-09-04'), wib('2026-09-05T00:00:03')],
    );
    const official = { type: 'official' as const, id: randomUUID() };
    const system = { type: 'system' as const, id: 'worker' };
    await chain(m.query.bind(m), a.id, [
      ['2026-08-13T09:00', 'resident', 'complaint.submitted', {}],
      ['2026-08-13T09:05', system, 'complaint.assigned', { unit_id: kel.id, due_at: endOfDay('2026-08-18').toISOString() }],
      ['2026-08-14T10:00', system, 'complaint.deadline_moved', { kind: 'first_response', from: endOfDay('2026-08-18').toISOString(), to: endOfDay('2026-08-19').toISOString() }],
      ['2026-08-19T10:00', official, 'complaint.forwarded', { unit_id: kel.id, to_unit_id: kec.id }],
      ['2026-08-25T00:00:04', system, 'complaint.deadline_missed', { kind: 'first_response', unit_id: kec.id, due_at: endOfDay('2026-08-24').toISOString() }],
      ['2026-08-26T08:00', official, 'complaint.acknowledged', { unit_id: kec.id, resolution_due_at: endOfDay('2026-09-02').toISOString() }],
      ['2026-08-27T09:00', official, 'complaint.info_requested', { unit_id: kec.id }],
      ['2026-08-31T09:00', 'resident', 'complaint.resident_replied', { resumed: true }],
      ['2026-09-03T15:00', official, 'complaint.resolved', { unit_id: kec.id }],
      ['2026-09-04T10:00', 'resident', 'complaint.reopened', { satisfied: false, rating: 2 }],
      ['2026-09-10T11:00', official, 'complaint.resolved', { unit_id: kec.id }],
      ['2026-09-11T09:00', 'resident', 'complaint.closed', { satisfied: true, rating: 4 }],
    ]);
    await chain(m.query.bind(m), b.id, [
      ['2026-09-01T08:00', 'resident', 'complaint.submitted', {}],
      ['2026-09-01T08:05', system, 'complaint.assigned', { unit_id: kel.id, due_at: endOfDay('2026-09-04').toISOString() }],
      ['2026-09-05T00:00:03', system, 'complaint.escalated', { from_unit_id: kel.id, to_unit_id: kec.id, missed_due_at: endOfDay('2026-09-04').toISOString() }],
    ]);
  });
  return { a, b, units: { kel, kec } };
}

/**
 * Removes the fixtures earlier runs left (the test database outlives a run), so the figures of
 * their units and period are this fixture's alone. Their audit chains stay: the log is append-only,
 * and a chain without its complaint row projects nothing.
 */
async function clearFixtures(db: DataSource): Promise<void> {
  await db.transaction(async (m) => {
    const ids = (await m.query(
      `SELECT id FROM complaint WHERE tenant_code = '36.04' AND kecamatan_code = '36.04.09' AND submitted_at >= $1 AND submitted_at < $2`,
      [wib('2026-08-01T00:00'), wib('2026-10-01T00:00')],
    )).map((r: { id: string }) => r.id);
    for (const table of ['response_time_assignment', 'response_time_complaint', 'sla_breach', 'assignment']) {
      await m.query(`DELETE FROM ${table} WHERE complaint_id = ANY($1::uuid[])`, [ids]);
    }
    await m.query(`DELETE FROM complaint WHERE id = ANY($1::uuid[])`, [ids]);
    // The rows went behind the projector's back: the rollup is added up again from what is left.
    await m.query(`SELECT 1 FROM response_time_checkpoint WHERE id FOR UPDATE`);
    await fillRollup(m);
  });
}

type Step = [string, 'resident' | AuditRecord['actor'], string, Record<string, unknown>];

/** A complaint's chain, each entry at its own time. */
async function chain(query: (sql: string, params: unknown[]) => Promise<unknown>, complaintId: string, steps: readonly Step[]): Promise<void> {
  let head: SealedAuditEntry | null = null;
  const sealed: SealedAuditEntry[] = [];
  for (const [at, actor, event, data] of steps) {
    const record: AuditRecord = { stream: complaintStream(complaintId), actor: actor === 'resident' ? { type: 'resident' } : actor, event, data, channel: 'web' };
    head = sealEntry(record, head, wib(at));
    sealed.push(head);
  }
  const s = new SqlStatement();
  await query(insertAuditSql(s, sealed), s.params);
}

/** Seals what has committed (the worker does it every second), so the projector can read it. */
export async function seal(db: DataSource): Promise<void> {
  await new AuditSealer(db, null, 0).sealRound();
}

/**
 * Appends one correctly sealed entry to a complaint's chain, as bulk SQL would: the shared test
 * database's log must stay verifiable for every later test file.
 */
export async function appendEntry(db: DataSource, complaintId: string, record: Omit<AuditRecord, 'stream'>, at: Date): Promise<void> {
  const stream = complaintStream(complaintId);
  const [head]: { seq: number; hash: string }[] = await db.query(`SELECT seq, hash FROM audit_entry WHERE stream = $1 ORDER BY seq DESC LIMIT 1`, [stream]);
  const s = new SqlStatement();
  await db.query(insertAuditSql(s, [sealEntry({ ...record, stream }, head ?? null, at)]), s.params);
}

/**
 * Recounts complaints into the read model and its rollup now, as a round does: for a change a test
 * made behind the log's back (a direct UPDATE), which no round would otherwise pick up.
 */
export async function recount(app: INestApplicationContext, ids: readonly string[]): Promise<void> {
  const projector = app.get(ResponseTimeProjector);
  const deadlines = app.get(SlaDeadlinePolicy);
  await app.get(DataSource).transaction(async (m) => {
    await m.query(`SELECT 1 FROM response_time_checkpoint WHERE id FOR UPDATE`);
    await projector.recount(m, ids, await deadlines.calendars(m));
  });
}
