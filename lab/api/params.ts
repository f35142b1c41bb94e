import { z } from 'zod';
import { parameterError } from './errors';

export type Args = Record<string, string>;

/** What pve-common's JSONSchema says about a parameter the method does not declare. */
export const NOT_IN_SCHEMA = 'property is not defined in schema and the schema does not allow additional properties';

/** PVE's boolean parameters: 0/1 and the usual words. */
export const pveBool = z
  .union([z.boolean(), z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

export const pveInt = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  z
    .union([z.number(), z.string().regex(/^-?\d+$/, "type check ('integer') failed")])
    .transform(Number)
    .pipe(z.number().int().min(min, `value must have a minimum value of ${min}`).max(max, `value must have a maximum value of ${max}`));

/** An `enum` parameter, refused with pve-common JSONSchema.pm's message. */
export const pveEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `value '${String(issue.input)}' does not have a value in the enumeration '${values.join(', ')}'` });

/** pve-common's `pve-vmid` standard option: an integer from 100 to 999999999. */
export const vmidParam = pveInt(100, 999_999_999);
/** pve-common's `pve-node` format. */
export const nodeName = z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'invalid format - value does not look like a valid node name');
/** pve-common's `pve-storage-id` format (`parse_id`): at least 2 characters, letter first, no trailing `-_.`. */
export const storageId = z
  .string()
  .min(2, 'invalid format - storage ID cannot be shorter than 2 characters')
  .regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, 'invalid format - storage ID contains illegal characters');
/** pve-common's `dns-name` format, which qemu-server's `name` (`pve-vm-name`) uses. */
export const dnsName = z
  .string()
  .regex(/^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'invalid format - value does not look like a valid DNS name');
/** qemu-server's `pve-snapshot-name`: a configuration id of at most 40 characters, `current` reserved. */
export const snapshotName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{1,39}$/, 'invalid format - invalid configuration ID')
  .refine((n) => n !== 'current', 'invalid format - invalid configuration ID');

/** Formats of the path parameters: PVE checks them with the method's schema like any other parameter. */
const PATH_PARAMETERS: Record<string, z.ZodType> = { node: nodeName, vmid: vmidParam, storage: storageId, snapname: snapshotName };

/**
 * The schema the router checks a call against: the route's declared
 * parameters plus its path parameters, refusing any other name
 * (PVE's methods all say `additionalProperties => 0`).
 */
export function declaredParameters(declared: z.ZodObject | undefined, pathNames: string[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const name of pathNames) shape[name] = PATH_PARAMETERS[name] ?? z.string();
  return (declared ?? z.object({})).extend(shape).strict();
}

/** Validates request arguments with zod; failures become PVE's 400 with one message per parameter. */
export function parseArgs<T extends z.ZodType>(schema: T, args: Args): z.output<T> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors[key] = NOT_IN_SCHEMA;
      continue;
    }
    const key = String(issue.path[0] ?? 'parameters');
    errors[key] = issue.code === 'invalid_type' && args[key] === undefined ? 'property is missing and it is not optional' : issue.message;
  }
  throw parameterError(errors);
}
