import { z } from 'zod';
import { RRD_LAYOUTS } from '../../cluster/rrd';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { guestAt } from '../guest-view';
import { parseArgs } from '../params';

/** qemu-server's rrddata has no `decade` (pve-manager's node rrddata has). */
const guestArgs = z.object({ timeframe: z.enum(['hour', 'day', 'week', 'month', 'year']), cf: z.enum(['AVERAGE', 'MAX']).optional() });
const nodeArgs = z.object({ timeframe: z.enum(['hour', 'day', 'week', 'month', 'year', 'decade']), cf: z.enum(['AVERAGE', 'MAX']).optional() });

export const rrdRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/nodes/{node}/qemu/{vmid}/rrddata',
    params: guestArgs,
    handler: (ctx: RequestContext) => {
      const guest = guestAt(ctx);
      ctx.require(`/vms/${guest.vmid}`, 'VM.Audit');
      const args = parseArgs(guestArgs, ctx.args);
      return ctx.lab.stats.guestRrd(guest.vmid).rows(RRD_LAYOUTS[ctx.lab.release.major][args.timeframe], args.cf ?? 'AVERAGE');
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/rrddata',
    params: nodeArgs,
    handler: (ctx: RequestContext) => {
      const node = ctx.param('node');
      if (!ctx.lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
      ctx.require(`/nodes/${node}`, 'Sys.Audit');
      const args = parseArgs(nodeArgs, ctx.args);
      return ctx.lab.stats.nodeRrd(node).rows(RRD_LAYOUTS[ctx.lab.release.major][args.timeframe], args.cf ?? 'AVERAGE');
    },
  },
];
