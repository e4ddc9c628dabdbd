import { complaintStream, hashEntry } from '@aduan/audit';
import { seedDirectory } from '@aduan/directory';
import { seedRouting } from '@aduan/routing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { call, complaintBody, Harness, startHarness } from '../support/harness';
import { TEST_DATABASE_URL } from '../support/test-env';

describe('audit trail and directory, in PostgreSQL', () => {
  let h: Harness;
  let db: DataSource;

  beforeAll(async () => {
    h = await startHarness();
    db = h.db;
  });
  afterAll(() => h.close());

  it('chains a complaint’s entries: each hash covers the entry and links to the one before', async () => {
    const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() });
    await h.quiet();
    const [{ id }]: { id: string }[] = await db.query(`SELECT id FROM complaint WHERE tracking_number = $1`, [res.body.tracking_number]);
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT stream, seq, at, actor_type AS "actorType", actor_id AS "actorId", event, data, channel, request_id AS "requestId",
              outcome, prev_hash AS "prevHash", hash FROM audit_entry WHERE stream = $1 ORDER BY seq`,
      [complaintStream(id)],
    );
    expect(rows.map((r) => r.event)).toEqual(['complaint.submitted', 'complaint.routed', 'complaint.assigned']);
    let prev: string | null = null;
    for (const row of rows) {
      const { hash, ...rest } = row as { hash: string } & Parameters<typeof hashEntry>[0];
      expect(rest.prevHash).toBe(prev);
      expect(hashEntry(rest)).toBe(hash);
      prev = hash;
    }
    // Who, what, when, from where, outcome.
    expect(rows[0]).toMatchObject({ actorType: 'resident', channel: 'web', outcome: 'success', requestId: expect.any(String) });
    expect(rows[1]).toMatchObject({ actorType: 'system', channel: 'worker' });
    expect(JSON.stringify(rows)).not.toContain('Sampah menumpuk');
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries even to a superuser while the triggers are on', async () => {
    const superuser = new Client({ connectionString: TEST_DATABASE_URL });
    await superuser.connect();
    try {
      await expect(superuser.query(`UPDATE audit_entry SET outcome = 'tampered'`)).rejects.toThrow(/append-only/);
      await expect(superuser.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
      await expect(superuser.query(`TRUNCATE audit_entry`)).rejects.toThrow(/append-only/);
    } finally {
      await superuser.end();
    }
    const [{ n }]: { n: string }[] = await db.query(`SELECT count(*) AS n FROM audit_entry WHERE outcome = 'tampered'`);
    expect(Number(n)).toBe(0);
  });

  it('refuses a second entry with the same place in a chain', async () => {
    const [entry]: { stream: string }[] = await db.query(`SELECT stream FROM audit_entry LIMIT 1`);
    await expect(
      db.query(
        `INSERT INTO audit_entry (id, stream, seq, at, actor_type, event, data, channel, outcome, hash)
         VALUES (gen_random_uuid(), $1, 1, now(), 'system', 'forged', '{}', 'cli', 'success', 'x')`,
        [entry.stream],
      ),
    ).rejects.toThrow(/audit_entry_stream_seq_key/);
  });

  it('holds the real wilayah of the three tenants, with an office for every kelurahan and kecamatan', async () => {
    const [serang]: { kecamatan: string; kelurahan: string }[] = await db.query(
      `SELECT (SELECT count(*) FROM area WHERE parent_code = '36.73') AS kecamatan,
              (SELECT count(*) FROM area WHERE tenant_code = '36.73' AND level IN ('kelurahan', 'desa')) AS kelurahan`,
    );
    expect(serang).toEqual({ kecamatan: '6', kelurahan: '67' });
    const [tangerang]: { n: string }[] = await db.query(`SELECT count(*) AS n FROM area WHERE tenant_code = '36.71' AND level = 'kelurahan'`);
    expect(Number(tangerang.n)).toBe(104);
    const orphans: unknown[] = await db.query(
      `SELECT a.code FROM area a LEFT JOIN unit u ON u.area_code = a.code
        WHERE a.level IN ('kecamatan', 'kelurahan', 'desa') AND u.id IS NULL`,
    );
    expect(orphans).toEqual([]);
    const unparented: unknown[] = await db.query(`SELECT code FROM unit WHERE type = 'kelurahan' AND parent_id IS NULL`);
    expect(unparented).toEqual([]);
    const [kasemen]: { name: string; type: string; parent: string }[] = await db.query(
      `SELECT u.name, u.type, p.code AS parent FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.code = 'KEL.36.73.02.1001'`,
    );
    expect(kasemen).toMatchObject({ type: 'kelurahan', parent: 'KEC.36.73.02' });
    const missingRules: unknown[] = await db.query(
      `SELECT t.code, c.code FROM tenant t CROSS JOIN category c
        LEFT JOIN routing_rule r ON r.tenant_code = t.code AND r.category_code = c.code WHERE r.tier IS NULL`,
    );
    expect(missingRules).toEqual([]);
    const inspektorat: unknown[] = await db.query(`SELECT code FROM unit WHERE type = 'inspektorat' ORDER BY code`);
    expect(inspektorat).toEqual([{ code: 'INSP.36.04' }, { code: 'INSP.36.71' }, { code: 'INSP.36.73' }]);
  });

  it('seeds idempotently and keeps an admin’s routing changes', async () => {
    const count = async () =>
      (await db.query(`SELECT (SELECT count(*) FROM area) a, (SELECT count(*) FROM unit) u, (SELECT count(*) FROM category) c, (SELECT count(*) FROM routing_rule) r`))[0];
    const before = await count();
    await db.query(`UPDATE routing_rule SET tier = 'camat', unit_id = NULL WHERE tenant_code = '36.73' AND category_code = 'SAMPAH'`);
    await seedDirectory(db);
    expect((await seedRouting(db)).rules).toBe(0);
    expect(await count()).toEqual(before);
    const [rule]: { tier: string }[] = await db.query(`SELECT tier FROM routing_rule WHERE tenant_code = '36.73' AND category_code = 'SAMPAH'`);
    expect(rule.tier).toBe('camat');
    await db.query(`UPDATE routing_rule SET tier = 'lurah' WHERE tenant_code = '36.73' AND category_code = 'SAMPAH'`);
  });
});
