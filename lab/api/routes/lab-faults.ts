import { z } from 'zod';
import type { RequestContext, Route } from '../context';
import { parameterError, permissionError } from '../errors';
import { parseArgs, pveBool, pveInt } from '../params';

const faultArgs = z.object({
  node: z.string().optional(),
  offline: pveBool.optional(),
  delay: pveInt(0, 600_000).optional(),
  drop: pveInt(-1, 1_000_000).optional(),
  path: z.string().max(200).optional(),
  'close-websockets': pveBool.optional(),
  clear: pveBool.optional(),
});

/** The lab's own admin endpoints (not PVE): only root@pam (ticket or its token) may flip faults or hostile answers. */
export function requireRoot(ctx: RequestContext): void {
  if (ctx.who.userid !== 'root@pam') throw permissionError('/', 'Sys.Modify');
}

function setFaults(ctx: RequestContext): unknown {
  requireRoot(ctx);
  const args = parseArgs(faultArgs, ctx.args);
  const faults = ctx.lab.faults;
  if (args.clear) faults.clear();
  if (args.offline !== undefined) {
    if (!args.node || !ctx.lab.model.node(args.node)) throw parameterError({ node: `no such node '${args.node ?? ''}'` });
    faults.setOffline(args.node, args.offline);
  }
  const configure: { delayMs?: number; drop?: number; pathPattern?: string | null } = {};
  if (args.delay !== undefined) configure.delayMs = args.delay;
  if (args.drop !== undefined) configure.drop = args.drop;
  if (args.path !== undefined) {
    try {
      new RegExp(args.path);
    } catch {
      throw parameterError({ path: 'invalid regular expression' });
    }
    configure.pathPattern = args.path || null;
  }
  faults.configure(configure);
  const closed = args['close-websockets'] ? faults.closeWebSockets() : 0;
  return { ...faults.state(), closedWebSockets: closed };
}

export const labFaultRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/lab/faults',
    handler: (ctx) => {
      requireRoot(ctx);
      return ctx.lab.faults.state();
    },
  },
  { method: 'POST', pattern: '/lab/faults', handler: setFaults, params: faultArgs },
];
