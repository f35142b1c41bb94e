import { z } from 'zod';
import { parameterError } from './errors';

export type Args = Record<string, string>;

/** PVE's boolean parameters: 0/1 and the usual words. */
export const pveBool = z
  .union([z.boolean(), z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

export const pveInt = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  z
    .union([z.number(), z.string().regex(/^-?\d+$/, "type check ('integer') failed")])
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const vmidParam = pveInt(100, 999_999_999);
export const nodeName = z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'invalid format - value does not look like a valid node name');
export const storageId = z.string().regex(/^[a-z][a-z0-9\-_.]*$/i, 'invalid format - storage ID');

/** Validates request arguments with zod; failures become PVE's 400 with one message per parameter. */
export function parseArgs<T extends z.ZodType>(schema: T, args: Args): z.output<T> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'parameters');
    errors[key] = issue.code === 'invalid_type' && issue.input === undefined ? 'property is missing and it is not optional' : issue.message;
  }
  throw parameterError(errors);
}
