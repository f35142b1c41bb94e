import type { ConsoleSession } from '../../../../shared/domain/consoles';
import { spiceProxyCall, type PveClient, type SpiceProxyAnswer } from '../../pve';
import type { ConsoleContext } from '../context';
import { clipboardSharingOf, keyboardOf, onGuestNode, runningGuest, type ConsoleGuest } from '../guest-lookup';
import { healSpicePath, proxyAddressOf, type SpiceRoute } from './spice-path';
import { SpiceSession } from './spice-session';

/** How long one step of the proxy path may take to answer before the next is tried. */
const pathStepTimeoutMs = 3_000;

/**
 * Test seams of the integration tests (never set by the app): the lab's CONNECT proxy has an ephemeral port where PVE
 * names 3128, and a wrong `ca` or `host-subject` must be refused. Each rewrites what PVE said before it is used.
 */
export interface SpiceSeams {
  answer?: (answer: SpiceProxyAnswer) => SpiceProxyAnswer;
  /** The host the api-host step tries instead of the client's active endpoint. */
  apiHost?: string;
}

/** A guest's SPICE answer and the proxy path that reaches it, worked out before the URL is handed out. */
export interface PreparedSpice {
  guest: ConsoleGuest;
  node: string;
  answer: SpiceProxyAnswer;
  route: SpiceRoute;
}

/**
 * spiceproxy on the guest's node, asked with the host the app really reaches (PVE names that address as the proxy),
 * then the proxy path that heals itself: the answered proxy, the API host, or SSH to the node's own proxy.
 */
export async function prepareSpice(
  context: ConsoleContext,
  target: { profileId: string; node: string; vmid: number },
  seams: SpiceSeams = {},
): Promise<PreparedSpice> {
  const client: PveClient = context.sessions.client(target.profileId);
  const guest = await runningGuest(client, target.node, target.vmid);
  const apiHost = client.activeEndpoint.host;
  const { node, answer } = await onGuestNode(client, guest.node, guest.vmid, async (at) => ({
    node: at,
    answer: await client.execute(spiceProxyCall(at, guest.vmid, apiHost)),
  }));
  const used = seams.answer?.(answer) ?? answer;
  const route = await healSpicePath({
    answered: proxyAddressOf(used.proxy),
    apiHost: seams.apiHost ?? apiHost,
    sshTunnel: async (host, port) => (await context.sessions.ssh(target.profileId, node)).openTunnel(host, port),
    timeoutMs: pathStepTimeoutMs,
  });
  context.logger.info('consoles.spice-path', { profile: target.profileId, node, vmid: guest.vmid, via: route.path.via, unreachable: route.path.unreachable });
  return { guest, node, answer: used, route };
}

/**
 * A guest's SPICE console: the relay URL's first connection (the main channel) starts the session, spice-html5's
 * other channels join it; the proxy ticket and the SPICE password stay in main.
 */
export async function openSpiceConsole(
  context: ConsoleContext,
  target: { profileId: string; node: string; vmid: number },
  caller: string,
  seams: SpiceSeams = {},
): Promise<ConsoleSession> {
  const { guest, node, answer, route } = await prepareSpice(context, target, seams);
  const session = new SpiceSession({
    caller,
    label: `spice ${guest.vmid}@${node}`,
    route,
    upstream: { ticket: answer.host, tlsPort: answer['tls-port'], password: answer.password, ca: answer.ca, hostSubject: answer['host-subject'] },
    logger: context.logger,
  });
  const issued = context.issue(session);
  const keyboard = keyboardOf(guest.config);
  return {
    kind: 'spice',
    ...issued,
    title: guest.title,
    profileId: target.profileId,
    node,
    vmid: guest.vmid,
    clipboardSharing: await clipboardSharingOf(context, target.profileId),
    spicePath: route.path,
    audio: guest.config.audio0 !== undefined,
    ...(keyboard !== undefined ? { keyboard } : {}),
  };
}
