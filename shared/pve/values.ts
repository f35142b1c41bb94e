import { z } from 'zod';

/**
 * PVE's JSON comes from Perl, which does not always keep numbers and strings
 * apart: a number may arrive as `"5"` and a flag as `0`, `1`, `"1"` or a
 * boolean. These schemas accept those forms and give plain JS values.
 */
export const pveNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'expected a number')
    .transform(Number),
]);

export const pveInteger = pveNumber.pipe(z.number().int());

export const pveBoolean = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .transform((value) => value === true || value === 1 || value === '1');

/**
 * PVE's privilege maps (`{ "VM.Console": 1, "VM.Audit": 0 }`). A privilege
 * that is a key is held: the value only says whether it propagates, and
 * privileges that come from a pool are always 0.
 */
export const privilegeFlags = z
  .record(z.string(), z.union([pveNumber, z.boolean()]))
  .transform((entries) => Object.fromEntries(Object.entries(entries).map(([privilege, flag]) => [privilege, flag === true || flag === 1 ? 1 : 0] as const)));

/** The same maps as the list of privileges held (the propagation flag dropped). */
export const privilegeMap = privilegeFlags.transform((entries) => Object.keys(entries).sort());

/** `;`-separated tags (older versions used `,` or spaces) as a list. */
export const pveTags = z.string().transform((text) => text.split(/[;,\s]+/).filter((tag) => tag.length > 0));
