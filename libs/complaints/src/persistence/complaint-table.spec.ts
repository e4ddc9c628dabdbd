import { SqlStatement } from '@aduan/platform';
import { getMetadataArgsStorage } from 'typeorm';
import { ComplaintEntity } from './complaint.entity';
import { columnName, COMPLAINT_COLUMNS, complaintColumns, insertComplaintsSql, SELECT_COMPLAINT_PROPS, updateComplaintsSql } from './complaint-table';

describe('the complaint table', () => {
  it('is the TypeORM entity the migrations are generated from: the same columns, types and nullability', () => {
    const entity = getMetadataArgsStorage()
      .columns.filter((c) => c.target === ComplaintEntity)
      .map((c) => ({
        property: c.propertyName,
        name: c.options.name ?? c.propertyName,
        type: `${String(c.options.type)}${c.options.array ? '[]' : ''}`,
        nullable: c.options.nullable === true,
      }));
    const declared = Object.entries(COMPLAINT_COLUMNS).map(([property, c]) => ({ property, name: columnName(property as keyof typeof COMPLAINT_COLUMNS), type: c.type, nullable: c.nullable }));
    expect(entity.sort((a, b) => a.property.localeCompare(b.property))).toEqual(declared.sort((a, b) => a.property.localeCompare(b.property)));
  });

  it('reads the aggregate\'s props by their names, the bigint as a number and whether a reporter is on file', () => {
    expect(SELECT_COMPLAINT_PROPS).toContain('tracking_number AS "trackingNumber"');
    expect(SELECT_COMPLAINT_PROPS).toContain('resolution_paused_ms::float8 AS "resolutionPausedMs"');
    expect(SELECT_COMPLAINT_PROPS).toContain('reporter_ciphertext IS NOT NULL AS "reporterOnFile"');
    expect(SELECT_COMPLAINT_PROPS).not.toContain('access_code_hash');
    expect(complaintColumns('c')).toContain('c.access_code_hash, ');
  });

  it('inserts and updates with one array per column, whatever the number of rows', () => {
    const one = new SqlStatement();
    const many = new SqlStatement();
    const row = (id: string) => ({ id, accusedUnitIds: ['a', 'b'], accused: { unit: 'X' } }) as never;
    expect(insertComplaintsSql(one, [row('1')])).toBe(insertComplaintsSql(many, [row('1'), row('2'), row('3')]));
    expect(one.params).toHaveLength(Object.keys(COMPLAINT_COLUMNS).length);
    const ids = Object.keys(COMPLAINT_COLUMNS).indexOf('accusedUnitIds');
    expect(many.params[ids]).toEqual(['{a,b}', '{a,b}', '{a,b}']);
    const update = new SqlStatement();
    const text = updateComplaintsSql(update, [row('1')]);
    expect(text).toContain('accused_unit_ids = v.accused_unit_ids::uuid[]');
    expect(text).not.toContain('tracking_number');
    expect(update.params[0]).toEqual(['1']);
  });

  it('moves assigned_at only with a step that opened an assignment, and clears it when no unit holds the complaint', () => {
    const text = updateComplaintsSql(new SqlStatement(), [{ id: '1', assignedAt: null } as never]);
    expect(text).toContain('assigned_at = CASE WHEN v.current_unit_id IS NULL THEN NULL ELSE coalesce(v.assigned_at, c.assigned_at) END');
  });
});
