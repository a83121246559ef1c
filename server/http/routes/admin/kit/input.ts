/** Validation at the edge: zod issues become a 400 problem naming each field. */
import type { z } from 'zod';
import { AppError } from '../../../../shared/errors.js';

/** @throws AppError invalid_input with one entry per failing field (`where.path.to.field`). */
export function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'path' | 'query' | 'body'): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError('invalid_input', `invalid ${where === 'body' ? 'request body' : `${where} parameters`}`, { fields });
}
