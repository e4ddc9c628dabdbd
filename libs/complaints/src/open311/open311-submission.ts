import { submitComplaintSchema, SubmitComplaintInput } from '../submit-complaint/submit-complaint.schema';

/** A form body as `application/x-www-form-urlencoded` gives it: a repeated name holds a list. */
export type FormFields = Readonly<Record<string, string | readonly string[]>>;

/** One Open311 error entry. */
export interface Open311FieldError {
  field: string;
  description: string;
}

export type Open311Submission =
  | { ok: true; input: SubmitComplaintInput; fixmystreetId: string | null }
  | { ok: false; errors: Open311FieldError[] };

/** The attributes every service definition lists (see the services/{code} endpoint). */
export const OPEN311_ATTRIBUTES = {
  kelurahan: 'kelurahan',
  anonymous: 'anonim',
  confidential: 'rahasia',
} as const;

const FIXMYSTREET_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const DECIMAL = /^[+-]?\d{1,3}(\.\d{1,15})?$/;

/** Where a field of the complaint schema came from in the Open311 form. */
const FIELD_NAMES: Record<string, string> = {
  category: 'service_code',
  kelurahan: `attribute[${OPEN311_ATTRIBUTES.kelurahan}]`,
  description: 'description',
  address: 'address_string',
  lat: 'lat',
  long: 'long',
  'reporter.name': 'first_name',
  'reporter.phone': 'phone',
  'reporter.email': 'email',
  anonymous: `attribute[${OPEN311_ATTRIBUTES.anonymous}]`,
  confidential: `attribute[${OPEN311_ATTRIBUTES.confidential}]`,
};

/**
 * Turns a GeoReport v2 `POST requests` form into the complaint every channel hands over. Empty
 * values count as absent (the spec's rule for optional arguments); unknown attributes, such as the
 * many FixMyStreet sends, are ignored. `kelurahanCodes` are the jurisdiction's kelurahan and desa.
 */
export function open311Submission(form: FormFields, kelurahanCodes: ReadonlySet<string>): Open311Submission {
  const errors: Open311FieldError[] = [];
  const repeated = new Set<string>();
  const value = (name: string): string | undefined => {
    const v = form[name];
    if (Array.isArray(v)) {
      if (!repeated.has(name)) errors.push({ field: name, description: `${name} was sent more than once.` });
      repeated.add(name);
      return undefined;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    return s === '' ? undefined : s;
  };
  const flag = (code: string): boolean | undefined => {
    const v = value(`attribute[${code}]`);
    if (v === undefined) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    errors.push({ field: `attribute[${code}]`, description: `attribute[${code}] must be true or false.` });
    return undefined;
  };
  const coordinate = (name: 'lat' | 'long'): number | undefined => {
    const v = value(name);
    if (v === undefined) return undefined;
    if (DECIMAL.test(v)) return Number(v);
    errors.push({ field: name, description: `${name} must be a decimal number (WGS84).` });
    return undefined;
  };

  const serviceCode = value('service_code');
  if (serviceCode === undefined && !repeated.has('service_code')) errors.push({ field: 'service_code', description: 'service_code is required.' });
  const kelurahan = value(`attribute[${OPEN311_ATTRIBUTES.kelurahan}]`);
  if (kelurahan === undefined) {
    if (!repeated.has('attribute[kelurahan]')) {
      errors.push({ field: 'attribute[kelurahan]', description: 'attribute[kelurahan] is required: a kelurahan/desa code from the service definition.' });
    }
  } else if (!kelurahanCodes.has(kelurahan)) {
    errors.push({ field: 'attribute[kelurahan]', description: 'attribute[kelurahan] is not a kelurahan/desa of this jurisdiction.' });
  }
  const description = value('description');
  if (description === undefined && !repeated.has('description')) errors.push({ field: 'description', description: 'description is required.' });
  const fixmystreetId = value('attribute[fixmystreet_id]') ?? null;
  if (fixmystreetId !== null && !FIXMYSTREET_ID.test(fixmystreetId)) {
    errors.push({ field: 'attribute[fixmystreet_id]', description: 'attribute[fixmystreet_id] must be 1–64 letters, digits, dots, colons, dashes or underscores.' });
  }
  const name = [value('first_name'), value('last_name')].filter(Boolean).join(' ');
  const reporter = { name: name || undefined, phone: value('phone'), email: value('email') };
  const candidate = {
    category: serviceCode,
    kelurahan,
    description,
    address: value('address_string'),
    lat: coordinate('lat'),
    long: coordinate('long'),
    reporter: Object.values(reporter).some((v) => v !== undefined) ? reporter : undefined,
    anonymous: flag(OPEN311_ATTRIBUTES.anonymous),
    confidential: flag(OPEN311_ATTRIBUTES.confidential),
  };
  if (errors.length > 0) return { ok: false, errors };

  const parsed = submitComplaintSchema.safeParse(JSON.parse(JSON.stringify(candidate)));
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const path = issue.path.join('.');
        const field = FIELD_NAMES[path] ?? path;
        return { field, description: `${field}: ${issue.message}.` };
      }),
    };
  }
  return { ok: true, input: parsed.data, fixmystreetId };
}
