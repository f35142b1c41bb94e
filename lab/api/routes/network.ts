/**
 * GET /nodes/{node}/network as pve-manager's PVE/API2/Network.pm `index`: the
 * node's /etc/network/interfaces, here one NIC `eno1` and the bridge `vmbr0`
 * on it (what guests' `net0: …,bridge=vmbr0` names), so dialogs can list bridges.
 */
import { z } from 'zod';
import type { LabNode } from '../../cluster/model';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { parseArgs } from '../params';

/** Network.pm's `$network_type_enum` plus the filters `index` takes. */
const TYPES = ['bridge', 'bond', 'eth', 'alias', 'vlan', 'fabric', 'OVSBridge', 'OVSBond', 'OVSPort', 'OVSIntPort', 'vnet'] as const;
const networkArgs = z.object({ type: z.enum([...TYPES, 'any_bridge', 'any_local_bridge', 'include_sdn']).optional() });

type Interface = Record<string, unknown> & { iface: string; type: string };

/** What PVE's installer writes: the NIC without address, the bridge with the node's address over it. */
function interfacesOf(node: LabNode): Interface[] {
  return [
    { iface: 'eno1', type: 'eth', method: 'manual', method6: 'manual', families: ['inet'], active: 1, exists: 1, priority: 3 },
    {
      iface: 'vmbr0',
      type: 'bridge',
      method: 'static',
      method6: 'manual',
      families: ['inet'],
      active: 1,
      autostart: 1,
      address: node.ip,
      netmask: '8',
      cidr: `${node.ip}/8`,
      bridge_ports: 'eno1',
      bridge_stp: 'off',
      bridge_fd: '0',
      priority: 4,
    },
  ];
}

/** `index`: any user; a type filter (`any_bridge`, `any_local_bridge` for bridges); bridges only with SDN.Audit or SDN.Use on them (`check_sdn_bridge`). */
function listNetwork(ctx: RequestContext): unknown {
  const node = ctx.lab.model.node(ctx.param('node'));
  if (!node) throw new ApiError(500, `hostname lookup '${ctx.param('node')}' failed`);
  const { type } = parseArgs(networkArgs, ctx.args);
  const isBridge = (item: Interface): boolean => item.type === 'bridge' || item.type === 'OVSBridge';
  const bridgePath = (item: Interface): string => `/sdn/zones/localnetwork/${item.iface}`;
  return interfacesOf(node)
    .filter((item) => !type || type === 'include_sdn' || type === item.type || (isBridge(item) && /^any(_local)?_bridge$/.test(type)))
    .filter((item) => !isBridge(item) || ctx.who.userid === 'root@pam' || ctx.can(bridgePath(item), 'SDN.Audit') || ctx.can(bridgePath(item), 'SDN.Use'))
    .sort((a, b) => a.iface.localeCompare(b.iface));
}

export const networkRoutes: Route[] = [{ method: 'GET', pattern: '/nodes/{node}/network', handler: listNetwork, params: networkArgs }];
