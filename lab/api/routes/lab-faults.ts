import { z } from 'zod';
import type { Handler, RequestContext, Route } from '../context';
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

/** Wraps a handler of the lab's own admin endpoints (not PVE): only root@pam (ticket or its token) may read or flip faults and hostile answers. */
export function rootOnly(handler: Handler): Handler {
  return (ctx) => {
    if (ctx.who.userid !== 'root@pam') throw permissionError('/', 'Sys.Modify');
    return handler(ctx);
  };
}

function setFaults(ctx: RequestContext): unknown {
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
  { method: 'GET', pattern: '/lab/faults', handler: rootOnly((ctx) => ctx.lab.faults.state()) },
  { method: 'POST', pattern: '/lab/faults', handler: rootOnly(setFaults), params: faultArgs },
];
