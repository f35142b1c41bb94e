import { z } from 'zod';
import { RAW_GUEST_KEYS } from '../../cluster/hostile';
import type { RequestContext, Route } from '../context';
import { parameterError } from '../errors';
import { parseArgs, pveBool, vmidParam } from '../params';
import { rootOnly } from './lab-faults';

/** A raw `/cluster/resources` list may be large (many items, long fields) but not unbounded. */
const MAX_RESOURCES_CHARS = 2 * 1024 * 1024;

const hostileArgs = z.object({
  vmid: vmidParam.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  tags: z.string().optional(),
  poolid: z.string().optional(),
  comment: z.string().optional(),
  resources: z.string().max(MAX_RESOURCES_CHARS, `value may only be ${MAX_RESOURCES_CHARS} characters long`).optional(),
  clear: pveBool.optional(),
});

function parseResources(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw parameterError({ resources: 'invalid JSON' });
  }
  if (!Array.isArray(parsed)) throw parameterError({ resources: 'expected a JSON array' });
  return parsed;
}

/** The lab's own switch (not PVE): raw values that skip PVE's validation on purpose, so the app meets a broken or hostile server. */
function setHostile(ctx: RequestContext): unknown {
  const args = parseArgs(hostileArgs, ctx.args);
  const { model, hostile } = ctx.lab;
  // Everything is checked before anything changes: a refused call leaves the switch as it was.
  const guestValues = RAW_GUEST_KEYS.filter((key) => args[key] !== undefined);
  const guest = args.vmid === undefined ? undefined : model.guests.get(args.vmid);
  if (guestValues.length > 0 && !guest) throw parameterError({ vmid: `no such guest '${args.vmid ?? ''}'` });
  const pool = args.poolid === undefined ? undefined : model.pools.get(args.poolid);
  if (args.comment !== undefined && !pool) throw parameterError({ poolid: `no such pool '${args.poolid ?? ''}'` });
  const resources = args.resources === undefined ? undefined : parseResources(args.resources);
  if (args.clear) hostile.clear();
  if (guest) for (const key of guestValues) hostile.setGuestValue(guest, key, args[key] ?? '');
  if (pool && args.comment !== undefined) hostile.setPoolComment(pool, args.comment);
  if (resources) hostile.setResources(resources);
  return hostile.state();
}

export const labHostileRoutes: Route[] = [
  { method: 'GET', pattern: '/lab/hostile', handler: rootOnly((ctx) => ctx.lab.hostile.state()) },
  { method: 'POST', pattern: '/lab/hostile', handler: rootOnly(setHostile), params: hostileArgs },
];
