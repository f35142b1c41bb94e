import type { ConsoleSession } from '../../../../shared/domain/consoles';
import { IpcError } from '../../../../shared/ipc/errors';
import { guestConsoleWebSocketPath, guestTermProxyCall } from '../../pve';
import type { ConsoleContext } from '../context';
import { clipboardSharingOf, keyboardOf, onGuestNode, runningGuest } from '../guest-lookup';
import { termproxyEntry } from './termproxy-entry';

const serialPort = 'serial0';

/** A guest's serial console: termproxy on `serial0` (PVE's xterm.js console), relayed as a terminal. */
export async function openSerialConsole(
  context: ConsoleContext,
  target: { profileId: string; node: string; vmid: number },
  caller: string,
): Promise<ConsoleSession> {
  const client = context.sessions.client(target.profileId);
  const guest = await runningGuest(client, target.node, target.vmid);
  if (guest.config[serialPort] === undefined) {
    throw new IpcError('NOT_FOUND', {
      en: `${guest.title} has no serial port (${serialPort}), so it has no serial console. Add one in its hardware, then restart it.`,
      fr: `L’invité ${guest.title} n’a pas de port série (${serialPort}) : il n’a donc pas de console série. Ajoutez-en un dans son matériel, puis redémarrez-le.`,
    });
  }
  const { node, termproxy } = await onGuestNode(client, guest.node, guest.vmid, async (at) => ({
    node: at,
    termproxy: await client.executeAt(guestTermProxyCall(at, guest.vmid, serialPort)),
  }));
  const label = `serial ${guest.vmid}@${node}`;
  const issued = context.issue(
    termproxyEntry(context, caller, label, {
      client,
      endpoint: termproxy.endpoint,
      webSocketPath: guestConsoleWebSocketPath(node, guest.vmid),
      answer: termproxy.value,
    }),
  );
  const keyboard = keyboardOf(guest.config);
  return {
    kind: 'serial',
    ...issued,
    title: guest.title,
    profileId: target.profileId,
    node,
    vmid: guest.vmid,
    clipboardSharing: await clipboardSharingOf(context, target.profileId),
    ...(keyboard !== undefined ? { keyboard } : {}),
  };
}
