import type { ConsoleSession, ShellPath } from '../../../../shared/domain/consoles';
import { nodeConsoleWebSocketPath, nodeTermProxyCall } from '../../pve';
import type { ConsoleContext } from '../context';
import { clipboardSharingOf } from '../guest-lookup';
import { closeViewerFor } from '../relay/close-viewer';
import type { RelayEntry } from '../relay/relay-entry';
import { startSshShell } from './ssh-shell-upstream';
import { relayTerminal } from './terminal-upstream';
import { termproxyEntry } from './termproxy-entry';

/**
 * A node's shell: PVE's termproxy on the node (Sys.Console), or a PTY shell over the profile's SSH session to the
 * node. The SSH login happens here, so its failures (host key, key, password) answer the call instead of a closed socket.
 */
export async function openShellConsole(
  context: ConsoleContext,
  target: { profileId: string; node: string; via: ShellPath },
  caller: string,
): Promise<ConsoleSession> {
  const label = `shell ${target.node} (${target.via})`;
  const entry = target.via === 'ssh' ? await sshShellEntry(context, target, caller, label) : await termproxyShellEntry(context, target, caller, label);
  return {
    kind: 'shell',
    ...context.issue(entry),
    title: target.node,
    profileId: target.profileId,
    node: target.node,
    clipboardSharing: await clipboardSharingOf(context, target.profileId),
  };
}

async function termproxyShellEntry(context: ConsoleContext, target: { profileId: string; node: string }, caller: string, label: string): Promise<RelayEntry> {
  const client = context.sessions.client(target.profileId);
  const { value, endpoint } = await client.executeAt(nodeTermProxyCall(target.node));
  return termproxyEntry(context, caller, label, { client, endpoint, webSocketPath: nodeConsoleWebSocketPath(target.node), answer: value });
}

async function sshShellEntry(context: ConsoleContext, target: { profileId: string; node: string }, caller: string, label: string): Promise<RelayEntry> {
  const session = await context.sessions.ssh(target.profileId, target.node);
  await session.connect();
  const log = { label, logger: context.logger };
  return {
    caller,
    label,
    accept: (viewer) => {
      viewer.pause();
      startSshShell(session).then(
        (upstream) => relayTerminal(viewer, upstream),
        (error: unknown) => closeViewerFor(viewer, error, log),
      );
    },
  };
}
