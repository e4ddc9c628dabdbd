import { Jurisdiction, Open311Directory } from '@aduan/directory';
import { Open311Error } from './open311-http';

/** Query or form fields as Fastify hands them over: a repeated name is a list. */
export type Fields = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One optional argument: absent and empty are the same thing (the spec's rule); sent twice is
 * refused, since there is no telling which was meant.
 */
export function field(fields: Fields, name: string): string | undefined {
  const v = fields[name];
  if (Array.isArray(v)) throw Open311Error.of(400, `${name} was sent more than once; use one comma-separated value.`);
  const s = typeof v === 'string' ? v.trim() : '';
  return s === '' ? undefined : s;
}

/** A comma-separated argument (service_request_id, service_code, status). */
export function commaList(fields: Fields, name: string): string[] | undefined {
  const v = field(fields, name);
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length > 0 ? items : undefined;
}

/** The tenant `jurisdiction_id` names: 400 when missing, 404 when unknown (GeoReport v2's errors). */
export async function requireJurisdiction(directory: Open311Directory, fields: Fields): Promise<Jurisdiction> {
  const id = field(fields, 'jurisdiction_id');
  if (id === undefined) throw Open311Error.of(400, 'jurisdiction_id was not provided; use e.g. serangkota.go.id or 36.73.');
  const jurisdiction = id.length <= 253 ? await directory.jurisdiction(id) : null;
  if (!jurisdiction) throw Open311Error.of(404, 'jurisdiction_id was not found.');
  return jurisdiction;
}
