import { createWebSocketStream, type WebSocket } from 'ws';
import type { ConsoleSession } from '../../../../shared/domain/consoles';
import { guestConsoleWebSocketPath, vncProxyCall, type PveClient, type PveEndpoint, type VncProxyAnswer } from '../../pve';
import type { ConsoleContext } from '../context';
import { clipboardSharingOf, hasVncClipboard, keyboardOf, onGuestNode, runningGuest } from '../guest-lookup';
import { queueStream, queueWebSocket, type HandshakeSide } from '../relay/byte-queue';
import { closeViewerFor, ConsoleRelayError, type ConsoleLog } from '../relay/close-viewer';
import { pumpBetween } from '../relay/pump';
import { authenticateUpstream, greetViewer } from './rfb-auth-relay';

/** How long both RFB handshakes may take together once the viewer connected. */
const handshakeTimeoutMs = 20_000;

interface VncUpstream {
  client: PveClient;
  endpoint: PveEndpoint;
  node: string;
  vmid: number;
  answer: VncProxyAnswer;
}

/**
 * A guest's VNC console: vncproxy on the guest's node (through the endpoint that answers; its ticket is good there
 * only, for about 10 s), and once the viewer connects, vncwebsocket on that same endpoint, the relay answering QEMU's
 * VNC authentication itself and offering the viewer RFB without a password.
 */
export async function openVncConsole(
  context: ConsoleContext,
  target: { profileId: string; node: string; vmid: number },
  caller: string,
): Promise<ConsoleSession> {
  const client = context.sessions.client(target.profileId);
  const guest = await runningGuest(client, target.node, target.vmid);
  const upstream = await onGuestNode(client, guest.node, guest.vmid, async (node) => {
    const { value, endpoint } = await client.executeAt(vncProxyCall(node, guest.vmid));
    return { client, endpoint, node, vmid: guest.vmid, answer: value };
  });
  const label = `vnc ${guest.vmid}@${upstream.node}`;
  const issued = context.issue({ caller, label, accept: (viewer) => void relayVnc(viewer, upstream, { label, logger: context.logger }) });
  const keyboard = keyboardOf(guest.config);
  return {
    kind: 'vnc',
    ...issued,
    title: guest.title,
    profileId: target.profileId,
    node: upstream.node,
    vmid: guest.vmid,
    clipboardSharing: await clipboardSharingOf(context, target.profileId),
    vncClipboard: hasVncClipboard(guest.config),
    ...(keyboard !== undefined ? { keyboard } : {}),
  };
}

async function relayVnc(viewer: WebSocket, target: VncUpstream, log: ConsoleLog): Promise<void> {
  // Queued from the start: the viewer's bytes and its close are not missed while the upstream opens.
  const fromViewer = queueWebSocket(
    viewer,
    () => new ConsoleRelayError('upstreamClosed', 'The viewer left during the VNC handshake.'),
    () => new ConsoleRelayError('protocolError', 'The viewer sent a text frame during the VNC handshake.'),
  );
  let fromUpstream: HandshakeSide | undefined;
  const timer = setTimeout(() => {
    const late = new ConsoleRelayError('protocolError', 'The VNC handshake did not finish in time.');
    fromViewer.bytes.fail(late);
    fromUpstream?.bytes.fail(late);
  }, handshakeTimeoutMs);
  let socket: WebSocket | undefined;
  try {
    socket = await target.client.openWebSocket(target.endpoint, guestConsoleWebSocketPath(target.node, target.vmid), {
      port: String(target.answer.port),
      vncticket: target.answer.ticket,
    });
    const upstream = createWebSocketStream(socket);
    fromUpstream = queueStream(upstream, () => new ConsoleRelayError('authFailed', 'The VNC server closed the connection during its handshake.'));
    // Older servers send no password: the ticket is the VNC password there.
    await authenticateUpstream(fromUpstream.bytes, (bytes) => upstream.write(bytes), target.answer.password ?? target.answer.ticket);
    await greetViewer(fromViewer.bytes, (bytes) => viewer.send(bytes));
    const serverRest = fromUpstream.release();
    const viewerRest = fromViewer.release();
    if (serverRest.length > 0) upstream.unshift(serverRest);
    if (viewerRest.length > 0) upstream.write(viewerRest);
    pumpBetween(viewer, upstream);
  } catch (error) {
    fromViewer.release();
    fromUpstream?.release();
    socket?.terminate();
    closeViewerFor(viewer, error, log);
  } finally {
    clearTimeout(timer);
  }
}
