import { SqlStatement } from '@aduan/platform';
import type { Accused, ComplaintProps } from '../domain/complaint';
import type { Tier } from '@aduan/directory';
import type { AccusedReview, ComplaintStatus } from '../domain/complaint-status';

/**
 * The `complaint` table, declared once: each column's SQL type, its property, and whether the
 * aggregate holds it and changes it. Every statement on the table (the SELECT lists, the INSERT,
 * the UPDATE and the locks) is built from this, and complaint-table.spec.ts checks the TypeORM
 * entity (which the migrations are generated from) against it. Adding a column: here, the
 * entity, a migration; the compiler then names what must supply its value.
 */

type SqlType = 'uuid' | 'text' | 'double precision' | 'boolean' | 'jsonb' | 'uuid[]' | 'timestamptz' | 'smallint' | 'integer' | 'bigint';

interface Column<T, H extends boolean = boolean, C extends boolean = boolean> {
  readonly type: SqlType;
  readonly nullable: boolean;
  /** the aggregate (ComplaintProps) holds it */
  readonly held: H;
  /** a step of the complaint's life may change it: the UPDATE writes it */
  readonly changes: C;
  /** never set: carries the value's type */
  readonly value?: T;
}

interface Options {
  held?: false;
  changes?: true;
}
type Held<O> = O extends { held: false } ? false : true;
type Changes<O> = O extends { changes: true } ? true : false;

/** The value's type, for `column` (never called for a value). */
const of = <T>() => undefined as unknown as T;

function column<T, const O extends Options = Options>(type: SqlType, _value: T, options?: O): Column<T, Held<O>, Changes<O>> {
  return { type, nullable: false, held: (options?.held ?? true) as Held<O>, changes: (options?.changes ?? false) as Changes<O> };
}
function nullable<T, const O extends Options = Options>(type: SqlType, value: T, options?: O): Column<T | null, Held<O>, Changes<O>> {
  return { ...column(type, value, options), nullable: true };
}

export const COMPLAINT_COLUMNS = {
  id: column('uuid', of<string>()),
  trackingNumber: column('text', of<string>()),
  accessCodeHash: column('text', of<string>(), { held: false }),
  tenantCode: column('text', of<string>()),
  categoryCode: column('text', of<string>()),
  kelurahanCode: column('text', of<string>()),
  kecamatanCode: column('text', of<string>()),
  description: column('text', of<string>()),
  address: nullable('text', of<string>()),
  lat: nullable('double precision', of<number>()),
  long: nullable('double precision', of<number>()),
  anonymous: column('boolean', of<boolean>(), { changes: true }),
  confidential: column('boolean', of<boolean>(), { changes: true }),
  reporterCiphertext: nullable('text', of<string>(), { held: false }),
  reporterKeyId: nullable('text', of<string>(), { held: false }),
  reporterErasedAt: nullable('timestamptz', of<Date>(), { held: false }),
  accused: nullable('jsonb', of<Accused>()),
  accusedUnitId: nullable('uuid', of<string>(), { held: false }),
  accusedUnitIds: column('uuid[]', of<readonly string[]>(), { changes: true }),
  accusedReview: nullable('text', of<AccusedReview>(), { changes: true }),
  status: column('text', of<ComplaintStatus>(), { changes: true }),
  channel: column('text', of<string>()),
  apiKeyId: nullable('uuid', of<string>(), { held: false }),
  currentUnitId: nullable('uuid', of<string>(), { changes: true }),
  currentTier: nullable('text', of<Tier>(), { changes: true }),
  /** when the current unit received it (its open assignment's `assigned_at`); null while no unit holds it */
  assignedAt: nullable('timestamptz', of<Date>(), { held: false, changes: true }),
  submittedAt: column('timestamptz', of<Date>()),
  dueAt: nullable('timestamptz', of<Date>(), { changes: true }),
  dueProvisional: column('boolean', of<boolean>(), { changes: true }),
  resolutionDueAt: nullable('timestamptz', of<Date>(), { changes: true }),
  resolutionFrom: nullable('timestamptz', of<Date>(), { changes: true }),
  resolutionWorkingDays: nullable('smallint', of<number>(), { changes: true }),
  /** bigint in the table, read as a number (float8): milliseconds stay far below 2^53 */
  resolutionPausedMs: column('bigint', of<number>(), { changes: true }),
  pausedAt: nullable('timestamptz', of<Date>(), { changes: true }),
  resolvedAt: nullable('timestamptz', of<Date>(), { changes: true }),
  autoCloseAt: nullable('timestamptz', of<Date>(), { changes: true }),
  autoCloseWorkingDays: nullable('smallint', of<number>(), { changes: true }),
  autoCloseProvisional: column('boolean', of<boolean>(), { changes: true }),
  closedAt: nullable('timestamptz', of<Date>(), { changes: true }),
  /** stamped by every write: the step's time */
  updatedAt: column('timestamptz', of<Date>(), { held: false, changes: true }),
  version: column('integer', of<number>(), { changes: true }),
} as const;

type Columns = typeof COMPLAINT_COLUMNS;
export type ComplaintColumn = keyof Columns;
/** A whole row of `complaint`, by property. */
export type ComplaintRecord = { -readonly [K in ComplaintColumn]: Columns[K] extends Column<infer T> ? T : never };
type HeldColumn = { [K in ComplaintColumn]: Columns[K]['held'] extends true ? K : never }[ComplaintColumn];
type Changing = { [K in ComplaintColumn]: Columns[K]['changes'] extends true ? K : never }[ComplaintColumn];
type Unheld = Exclude<ComplaintColumn, HeldColumn>;
/** What one step writes back: the columns that change, from the aggregate and the step's time. */
export type ComplaintChange = Pick<ComplaintRecord, Changing>;

type Snake<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}` : S;
/** A row as `SELECT ${complaintColumns('c')}` answers it: by column name. */
export type ComplaintColumnsRow = { [K in ComplaintColumn as Snake<K>]: ComplaintRecord[K] };

/** What the aggregate knows beyond its columns, computed by the SELECT. */
const DERIVED = { reporterOnFile: 'reporter_ciphertext IS NOT NULL' } as const;

// The aggregate's props are exactly its held columns and the derived ones: a prop without a column fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const propsMatchColumns: Same<keyof ComplaintProps, HeldColumn | keyof typeof DERIVED> = true;
void propsMatchColumns;

const ENTRIES = Object.entries(COMPLAINT_COLUMNS) as [ComplaintColumn, Column<unknown>][];

/** The SQL name of a column. */
export function columnName(property: ComplaintColumn): string {
  return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** How a column is read back: bigint as a number. */
function read(property: ComplaintColumn, qualifier: string): string {
  const name = `${qualifier}${columnName(property)}`;
  return COMPLAINT_COLUMNS[property].type === 'bigint' ? `${name}::float8` : name;
}

/** The SELECT list of the aggregate's props (Complaint.restore). */
const PROPS_LIST = [
  ...ENTRIES.filter(([, c]) => c.held).map(([p]) => `${read(p, '')} AS "${p}"`),
  ...Object.entries(DERIVED).map(([p, sql]) => `${sql} AS "${p}"`),
].join(', ');

/** `SELECT <the aggregate's props> FROM complaint`, to be followed by WHERE. */
export const SELECT_COMPLAINT_PROPS = `SELECT ${PROPS_LIST} FROM complaint`;

/** Every column by its name (ComplaintColumnsRow), read from `complaint` under `alias`. */
export function complaintColumns(alias: string): string {
  return ENTRIES.map(([p]) => (COMPLAINT_COLUMNS[p].type === 'bigint' ? `${read(p, `${alias}.`)} AS ${columnName(p)}` : `${alias}.${columnName(p)}`)).join(', ');
}

/** A value as its unnest column carries it: a uuid[] as its array literal (unnest would flatten an array of arrays), jsonb as its text. */
function cell(type: SqlType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'uuid[]') return uuidArrayLiteral(value as readonly string[]);
  if (type === 'jsonb') return JSON.stringify(value);
  return value;
}

const unnestType = (type: SqlType) => (type === 'uuid[]' ? 'text' : type);
const cast = (property: ComplaintColumn, expression: string) => (COMPLAINT_COLUMNS[property].type === 'uuid[]' ? `${expression}::uuid[]` : expression);

/** INSERT of whole rows, as column arrays: the text is the same for any number of rows. */
export function insertComplaintsSql(s: SqlStatement, records: readonly ComplaintRecord[]): string {
  const names = ENTRIES.map(([p]) => columnName(p)).join(', ');
  const rows = records.map((r) => ENTRIES.map(([p, c]) => cell(c.type, r[p])));
  return `INSERT INTO complaint (${names})
    SELECT ${ENTRIES.map(([p]) => cast(p, `t.${columnName(p)}`)).join(', ')} FROM ${s.unnest(ENTRIES.map(([, c]) => unnestType(c.type)), rows)} AS t(${names})`;
}

const CHANGING = ENTRIES.filter(([, c]) => c.changes);

/**
 * Changing columns not written as given. `assigned_at` moves only with a step that opens an
 * assignment (null in the change keeps the row's value) and is cleared when no unit holds the
 * complaint any more: it is a copy of the open assignment's start, for the inbox's index.
 */
const WRITTEN_AS: Partial<Record<ComplaintColumn, string>> = {
  assignedAt: `CASE WHEN v.current_unit_id IS NULL THEN NULL ELSE coalesce(v.assigned_at, c.assigned_at) END`,
};

/** The UPDATE of the changing columns of several complaints (each row names its complaint by `id`), as column arrays. */
export function updateComplaintsSql(s: SqlStatement, changes: readonly (ComplaintChange & { id: string })[]): string {
  const columns = [['id', COMPLAINT_COLUMNS.id] as const, ...CHANGING];
  const rows = changes.map((change) => columns.map(([p, c]) => cell(c.type, (change as Partial<ComplaintRecord>)[p])));
  return `UPDATE complaint c SET ${CHANGING.map(([p]) => `${columnName(p)} = ${WRITTEN_AS[p] ?? cast(p, `v.${columnName(p)}`)}`).join(', ')}
    FROM ${s.unnest(columns.map(([, c]) => unnestType(c.type)), rows)} AS v(${columns.map(([p]) => columnName(p)).join(', ')})
    WHERE c.id = v.id`;
}

/** A new complaint's row: the aggregate's props and the columns it does not hold. */
export function complaintRecord(props: ComplaintProps, rest: Pick<ComplaintRecord, Unheld>): ComplaintRecord {
  const { reporterOnFile: _derived, ...held } = props;
  return { ...held, ...rest };
}

/** The changing columns of a complaint after a step at `now`; `assignedAt`: the start of the assignment the step opened, null if it opened none. */
export function complaintChange(props: ComplaintProps, now: Date, assignedAt: Date | null): ComplaintChange & { id: string } {
  const change = { id: props.id, updatedAt: now, assignedAt } as ComplaintChange & { id: string };
  for (const [p] of CHANGING) if (p !== 'updatedAt' && p !== 'assignedAt') (change as Record<string, unknown>)[p] = props[p as Exclude<Changing, 'updatedAt' | 'assignedAt'>];
  return change;
}

/**
 * A uuid[] as PostgreSQL's array literal (`{a,b}`): one row's array rides an unnest column as
 * text, since unnest would flatten an array of arrays.
 */
export function uuidArrayLiteral(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
