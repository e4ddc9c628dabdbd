import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { FieldError, ProblemException } from './problem';

export function zodIssues(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/**
 * Validates a request part against a zod schema: not an object → 400 (malformed), an object that
 * breaks the schema → 422 with one entry per field.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S, private readonly part: 'body' | 'query' | 'array-body' = 'body') {}

  transform(value: unknown): z.infer<S> {
    if (this.part === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw ProblemException.badRequest('The request body must be a JSON object.');
    }
    if (this.part === 'array-body' && !Array.isArray(value)) throw ProblemException.badRequest('The request body must be a JSON array.');
    const parsed = this.schema.safeParse(value ?? {});
    if (!parsed.success) {
      throw ProblemException.unprocessable('The request has invalid fields.', zodIssues(parsed.error));
    }
    return parsed.data;
  }
}
