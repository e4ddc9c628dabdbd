import { safeText } from '@aduan/platform';
import { z } from 'zod';

export const replySchema = z.strictObject({ message: safeText(2, 4000) });
export const feedbackSchema = z.strictObject({
  satisfied: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: safeText(0, 2000).optional(),
});
