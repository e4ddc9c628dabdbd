import { createDataSource, preparedQuery, SqlStatement, statementName } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../support/test-env';

/**
 * SqlStatement.unnest sends rows as one array per column: node-postgres writes each array as a
 * PostgreSQL array literal, so every value the write paths hand it (text with quotes, commas,
 * braces and backslashes, JSON, nulls, dates, booleans, numbers) must come back exactly as sent.
 */
describe('SqlStatement.unnest on real PostgreSQL', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = createDataSource(TEST_DATABASE_URL, 2, 'aduan-test-sql');
    await db.initialize();
  });

  afterAll(async () => {
    await db.destroy();
  });

  const types = ['uuid', 'text', 'jsonb', 'timestamptz', 'boolean', 'int', 'double precision'];
  const tricky = [
    [randomUUID(), 'Jalan "Merdeka", RT 03/RW 05 {blok C} \\ gang ke-2', JSON.stringify({ q: 'kata "kutipan"', list: [1, 'a,b'], nested: { x: null } }), new Date('2026-03-31T23:59:59.123Z'), true, 7, -6.1234567],
    [randomUUID(), 'NULL', JSON.stringify('teks saja'), new Date('2026-01-01T00:00:00.000Z'), false, 0, 106.15],
    [null, null, null, null, null, null, null],
    [randomUUID(), '', JSON.stringify([]), new Date(0), true, -1, 0],
    [randomUUID(), 'baris\nbaru\tdan tab — ümlaut, 日本語, emoji 🚧', JSON.stringify({ t: '\\"\n' }), new Date('2026-11-22T12:00:00.000+07:00'), false, 2147483647, 1e-9],
  ];

  it('gives back every row and value exactly, in the order sent', async () => {
    const s = new SqlStatement();
    const text = `SELECT * FROM ${s.unnest(types, tricky)} WITH ORDINALITY AS v(id, body, data, at, flag, n, x, ord) ORDER BY ord`;
    const rows: Record<string, unknown>[] = await db.query(text, s.params);

    expect(rows).toHaveLength(tricky.length);
    rows.forEach((row, i) => {
      const [id, body, data, at, flag, n, x] = tricky[i];
      expect(row.id).toBe(id);
      expect(row.body).toBe(body);
      expect(row.data).toEqual(data === null ? null : JSON.parse(data as string));
      expect(row.at === null ? null : (row.at as Date).toISOString()).toBe(at === null ? null : (at as Date).toISOString());
      expect(row.flag).toBe(flag);
      expect(row.n).toBe(n);
      expect(row.x).toBe(x);
    });
    // One parameter per column, whatever the number of rows.
    expect(s.params).toHaveLength(types.length);
  });

  it('keeps the text of a statement the same for any number of rows, so one prepared shape serves every batch', async () => {
    const texts = [1, 3, 50].map((n) => {
      const s = new SqlStatement();
      return { s, text: `SELECT count(*)::int AS n FROM ${s.unnest(['uuid', 'text'], Array.from({ length: n }, (_, i) => [randomUUID(), `baris ${i}`]))}` };
    });
    expect(new Set(texts.map((t) => t.text)).size).toBe(1);

    const name = statementName('unnest-test', texts[0].text);
    expect(name).toBe(statementName('unnest-test', texts[2].text));
    expect(name).not.toBe(statementName('unnest-test', `${texts[0].text} `));
    const counts = await db.transaction(async (m) => {
      const out: number[] = [];
      for (const { s, text } of texts) out.push((await preparedQuery<{ n: number }>(m, name, text, s.params))[0].n);
      return out;
    });
    expect(counts).toEqual([1, 3, 50]);
  });
});
