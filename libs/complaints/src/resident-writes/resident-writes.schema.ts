import { z } from 'zod';

export const replySchema = z.strictObject({ message: z.string().trim().min(2).max(4000) });
export const feedbackSchema = z.strictObject({
  satisfied: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: z.string().trim().max(2000).optional(),
});
