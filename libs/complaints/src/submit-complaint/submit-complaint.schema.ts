import { hasControlCharacters, safeText } from '@aduan/platform';
import { z } from 'zod';

const text = (max: number) =>
  z
    .string()
    .max(max)
    // PostgreSQL text cannot hold NUL; other control characters have no place in a complaint either.
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters');

/** The resident's complaint, as every intake channel hands it over (docs/api.md, `POST /api/v1/complaints`). */
export const submitComplaintSchema = z.strictObject({
  category: z.string().regex(/^[A-Z0-9_]{1,64}$/, 'must be a category code'),
  kelurahan: z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'must be a kelurahan/desa code like 36.73.01.1001'),
  description: safeText(10, 4000),
  address: text(500).optional(),
  lat: z.number().min(-90).max(90).optional(),
  long: z.number().min(-180).max(180).optional(),
  reporter: z
    .strictObject({
      name: text(200).optional(),
      phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
      email: z.email().max(254).optional(),
    })
    .optional(),
  anonymous: z.boolean().optional(),
  confidential: z.boolean().optional(),
  accused: z
    .strictObject({
      name: text(200).optional(),
      position: text(200).optional(),
      unit: z.string().regex(/^[A-Z]{3,4}\.[0-9.]+(\.[A-Z0-9_]+)?$/, 'must be a unit code').optional(),
    })
    .optional(),
}).refine((v) => (v.lat === undefined) === (v.long === undefined), { message: 'lat and long go together', path: ['long'] });

export type SubmitComplaintInput = z.infer<typeof submitComplaintSchema>;
