import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { ClusterServices } from '../../cluster/services';
import type { ConsoleProxy } from '../../contracts';
import { authenticate } from '../auth';
import type { RequestContext, Route } from '../context';
import type { UpgradeHandler } from '../server';
import { ApiError, permissionError } from '../errors';
import { guestAt } from '../guest-view';
import { dnsName, parseArgs, pveBool } from '../params';
import { startTask } from '../tasks-helper';
import { vncPassword } from '../../consoles/vnc-password';
import { nodeHostName } from '../../cluster/tls';

/**
 * PVE's vncproxy/termproxy ticket lifetime (pve-access-control `$verify_short_lived_ticket`, pve-common
 * `verify_rsa_ticket` with ages -20 and 40, both excluded): the websocket must follow within seconds.
 */
const VNC_TICKET_SECONDS = 40;
const VNC_TICKET_SKEW_SECONDS = 20;

/** `PVEVNC:<HEXTIME>::<sig>` bound to user and ACL path through the signed secret data, as PVE's assemble_vnc_ticket. */
function vncTicket(lab: ClusterServices, user: string, path: string): string {
  return lab.signer.assemble('PVEVNC', undefined, `${user}:${path}`);
}

function checkVncTicket(lab: ClusterServices, vncticket: string, user: string, path: string): boolean {
  // vncproxy's ticket carries the VNC password in front (`<password>:PVEVNC:…`); PVE's verify_vnc_ticket drops it.
  const ticket = /^.{8}:(PVEVNC:.*)$/s.exec(vncticket)?.[1] ?? vncticket;
  const verified = lab.signer.verify(ticket, 'PVEVNC', VNC_TICKET_SECONDS, `${user}:${path}`);
  return verified !== undefined && verified.age > -VNC_TICKET_SKEW_SECONDS && verified.age < VNC_TICKET_SECONDS;
}

/**
 * The console's task: as PVE's `vncproxy` worker it runs while its listener waits and its session lasts, and fails
 * when no client came in time (qemu-server `vncproxy`: "connection timed out").
 */
function consoleTask(ctx: RequestContext, node: string, type: string, id: string, proxy: ConsoleProxy, line: string): string {
  return startTask(ctx, { node, type, id }, async (task) => {
    task.log(line);
    if ((await proxy.ended) === 'no client') throw new Error('connection timed out');
  });
}

const vncArgs = z.object({ websocket: pveBool.optional(), 'generate-password': pveBool.optional() });

async function vncproxy(ctx: RequestContext): Promise<unknown> {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Console');
  parseArgs(vncArgs, ctx.args);
  const lab = ctx.lab;
  const info = lab.runtime.info(guest.vmid);
  if (!info) throw new ApiError(500, `VM ${guest.vmid} not running`);
  const password = vncPassword();
  await lab.runtime.setVncPassword(guest.vmid, password);
  const path = `/vms/${guest.vmid}`;
  const user = ctx.userName;
  // As qemu-server's vncproxy: the password, then the signed ticket, so clients must URL-encode the whole.
  const ticket = `${password}:${vncTicket(lab, user, path)}`;
  const proxy = await lab.gateway.openVncProxy({ host: '127.0.0.1', port: info.vncPort }, { ticket, listensOn: ctx.localNode });
  const upid = consoleTask(ctx, guest.node, 'vncproxy', String(guest.vmid), proxy, `connection to 127.0.0.1:${info.vncPort} through proxy port ${proxy.port}`);
  return { port: String(proxy.port), ticket, user, upid, cert: lab.caPem, password };
}

/** pve-common's `address` format (an IP or a DNS name, not a URL), which the `spice-proxy` standard option uses. */
const spiceProxyAddress = z.string().refine((value) => isIP(value) !== 0 || dnsName.safeParse(value).success, {
  error: (issue) => `invalid format - value does not look like a valid address: ${String(issue.input)}`,
});

const spiceArgs = z.object({ proxy: spiceProxyAddress.optional() });

/**
 * PVE's remote_viewer_config: `http://<proxy>:3128`, the proxy being the given address or the VM's node's `hostname -f`.
 * The port is where the lab's proxy really listens (3128 with `--port 8006`; a free one otherwise, as in the tests), so
 * the answer names a proxy that answers, as PVE's does.
 */
function spiceProxyUrl(address: string, port: number): string {
  return `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

async function spiceproxy(ctx: RequestContext): Promise<unknown> {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Console');
  const args = parseArgs(spiceArgs, ctx.args);
  const lab = ctx.lab;
  const info = lab.runtime.info(guest.vmid);
  if (!info) throw new ApiError(500, `VM ${guest.vmid} not running`);
  if (!info.spiceTlsPort) throw new ApiError(500, `VM ${guest.vmid} has no SPICE display (vga: ${guest.config.vga ?? 'std'})`);
  const password = randomBytes(12).toString('base64url');
  await lab.runtime.setSpicePassword(guest.vmid, password, 30);
  const host = lab.gateway.issueSpiceProxyTicket({ node: guest.node, vmid: guest.vmid, tlsPort: info.spiceTlsPort });
  return {
    type: 'spice',
    title: `VM ${guest.vmid} - ${guest.config.name ?? ''}`,
    host,
    proxy: spiceProxyUrl(args.proxy ?? nodeHostName(guest.node), lab.gateway.spiceProxyPort()),
    'tls-port': info.spiceTlsPort,
    password,
    ca: lab.spiceTls.caPem.trim().replace(/\n/g, '\\n'),
    'host-subject': lab.spiceTls.hostSubject,
    'delete-this-file': 1,
    'secure-attention': 'Ctrl+Alt+Ins',
    'release-cursor': 'Ctrl+Alt+R',
    'toggle-fullscreen': 'Shift+F11',
  };
}

const termArgs = z.object({ serial: z.enum(['serial0', 'serial1', 'serial2', 'serial3']).optional() });

async function guestTermproxy(ctx: RequestContext): Promise<unknown> {
  const guest = guestAt(ctx);
  ctx.require(`/vms/${guest.vmid}`, 'VM.Console');
  const args = parseArgs(termArgs, ctx.args);
  const serial = args.serial ?? 'serial0';
  const lab = ctx.lab;
  const info = lab.runtime.info(guest.vmid);
  if (!info) throw new ApiError(500, `VM ${guest.vmid} not running`);
  if (!guest.config[serial]) throw new ApiError(500, `no '${serial}' on VM ${guest.vmid}`);
  if (!info.serialSocket) throw new ApiError(500, `${serial} of VM ${guest.vmid} is not a socket`);
  const user = ctx.userName;
  const ticket = vncTicket(lab, user, `/vms/${guest.vmid}`);
  const proxy = await lab.gateway.openTermProxy({ kind: 'serial', socketPath: info.serialSocket }, { user, ticket, listensOn: ctx.localNode });
  // qemu-server's termproxy runs as a `vncproxy` task too.
  const upid = consoleTask(ctx, guest.node, 'vncproxy', String(guest.vmid), proxy, `serial terminal ${serial} on proxy port ${proxy.port}`);
  return { port: String(proxy.port), ticket, user, upid };
}

async function nodeTermproxy(ctx: RequestContext): Promise<unknown> {
  const node = ctx.param('node');
  if (!ctx.lab.model.node(node)) throw new ApiError(500, `hostname lookup '${node}' failed`);
  ctx.require(`/nodes/${node}`, 'Sys.Console');
  const user = ctx.userName;
  const ticket = vncTicket(ctx.lab, user, `/nodes/${node}`);
  const proxy = await ctx.lab.gateway.openTermProxy({ kind: 'shell', node }, { user, ticket, listensOn: ctx.localNode });
  const upid = consoleTask(ctx, node, 'vncshell', '', proxy, `node shell on proxy port ${proxy.port}`);
  return { port: String(proxy.port), ticket, user, upid };
}

/**
 * GET .../vncwebsocket upgrade: API authentication first (cookie or token),
 * then the console privilege and PVE's signed vncticket for this user, path
 * and port; the gateway then bridges to its listener.
 */
export const handleConsoleUpgrade: UpgradeHandler = (lab, request, socket, head, path, query, localNode) => {
  const guestPath = /^\/nodes\/([^/]+)\/qemu\/(\d+)\/vncwebsocket$/.exec(path);
  const nodePath = /^\/nodes\/([^/]+)\/vncwebsocket$/.exec(path);
  if (!guestPath && !nodePath) throw new ApiError(501, `Method 'GET ${path}' not implemented`);
  const node = (guestPath ?? nodePath)?.[1] ?? '';
  if (lab.faults.isOffline(node)) throw new ApiError(595, 'No route to host');
  const auth = authenticate(lab, request, 'GET');
  const aclPath = guestPath ? `/vms/${guestPath[2]}` : `/nodes/${node}`;
  const privilege = guestPath ? 'VM.Console' : 'Sys.Console';
  if (!lab.acl.has(auth.actor, aclPath, privilege, auth.token)) throw permissionError(aclPath, privilege);
  if (guestPath && lab.model.guests.get(Number(guestPath[2]))?.node !== node) throw new ApiError(500, `VM ${guestPath[2]} is not on node '${node}'`);
  const port = Number(query.get('port'));
  const vncticket = query.get('vncticket') ?? '';
  const user = auth.actor.tokenid ?? auth.actor.userid;
  if (!Number.isInteger(port) || port <= 0 || !checkVncTicket(lab, vncticket, user, aclPath))
    throw new ApiError(401, 'permission denied - invalid PVEVNC ticket');
  lab.faults.trackWebSocket(socket);
  lab.gateway.handleVncWebSocket(request, socket, head, port, vncticket, localNode);
};

export const consoleRoutes: Route[] = [
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/vncproxy', handler: vncproxy, params: vncArgs },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/spiceproxy', handler: spiceproxy, params: spiceArgs },
  { method: 'POST', pattern: '/nodes/{node}/qemu/{vmid}/termproxy', handler: guestTermproxy, params: termArgs },
  { method: 'POST', pattern: '/nodes/{node}/termproxy', handler: nodeTermproxy },
];
