import type { LabGuest } from '../../cluster/model';
import type { RequestContext, Route } from '../context';
import { ApiError } from '../errors';
import { guestAt } from '../guest-view';
import { nodeAt } from '../node-view';

/** qemu-server PVE/API2/Qemu/Agent.pm `$guest_agent_commands` plus the ones it registers by hand: the `agent` index lists them sorted. */
const AGENT_COMMANDS = [
  'exec',
  'exec-status',
  'file-read',
  'file-write',
  'fsfreeze-freeze',
  'fsfreeze-status',
  'fsfreeze-thaw',
  'fstrim',
  'get-fsinfo',
  'get-host-name',
  'get-memory-block-info',
  'get-memory-blocks',
  'get-osinfo',
  'get-time',
  'get-timezone',
  'get-users',
  'get-vcpus',
  'info',
  'network-get-interfaces',
  'ping',
  'set-user-password',
  'shutdown',
  'suspend-disk',
  'suspend-hybrid',
  'suspend-ram',
];

/**
 * qemu-server PVE/QemuServer/Agent.pm `assert_agent_available`: an `agent`
 * key in the config (even `0`), a running guest, then `guest-ping`, which
 * never answers in the lab: its guests run no agent.
 */
function assertAgentAvailable(ctx: RequestContext, guest: LabGuest): never {
  if (guest.config.agent === undefined) throw new ApiError(500, 'No QEMU guest agent configured');
  if (!ctx.lab.runtime.info(guest.vmid)) throw new ApiError(500, `VM ${guest.vmid} is not running`);
  throw new ApiError(500, 'QEMU guest agent is not running');
}

/**
 * Agent.pm `register_command` for `network-get-interfaces`, the command the app uses:
 * VM.GuestAgent.Audit or VM.GuestAgent.Unrestricted on the guest (PVE 9);
 * PVE 8.4 asked for VM.Monitor, which `cluster/roles.ts` grants for that release.
 */
function agentCommand(ctx: RequestContext): unknown {
  nodeAt(ctx);
  const path = `/vms/${ctx.param('vmid')}`;
  if (ctx.lab.release.major < 9) ctx.require(path, 'VM.Monitor');
  else ctx.requireAny(path, ['VM.GuestAgent.Audit', 'VM.GuestAgent.Unrestricted']);
  return assertAgentAvailable(ctx, guestAt(ctx));
}

export const qemuAgentRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/nodes/{node}/qemu/{vmid}/agent',
    // Agent.pm `index`: `user => 'all'`, no lookup of the guest.
    handler: (ctx) => {
      nodeAt(ctx);
      return AGENT_COMMANDS.map((name) => ({ name }));
    },
  },
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', handler: agentCommand },
];
