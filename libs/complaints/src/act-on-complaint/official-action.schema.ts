import { safeText } from '@aduan/platform';
import { z } from 'zod';
import type { OfficialActionName } from '../domain/official-actions';

const words = safeText;

/** Request bodies of the official actions (docs/api.md, Officials), by action path. */
export const officialActionSchemas = {
  acknowledge: z.strictObject({ note: words(1, 2000).optional() }),
  'request-info': z.strictObject({ question: words(5, 2000) }),
  forward: z.strictObject({ unit: z.string().regex(/^[A-Z]{3,4}\.[0-9.]+(\.[A-Z0-9_]+)?$/, 'must be a unit code'), reason: words(5, 2000) }),
  return: z.strictObject({ reason: words(5, 2000) }),
  resolve: z.strictObject({ resolution: words(10, 4000) }),
  reject: z
    .strictObject({
      reason: z.enum(['duplicate', 'invalid', 'out_of_scope']),
      note: words(5, 2000),
      duplicate_of: z.string().regex(/^ADN-\d{6}-[0-9A-Z]{6}$/, 'must be a tracking number').optional(),
    })
    .refine((v) => v.reason !== 'duplicate' || v.duplicate_of, { message: 'a duplicate names its original', path: ['duplicate_of'] }),
} as const satisfies Record<OfficialActionName, z.ZodType>;
