import type { SshSession } from '../../ssh';
import { initialTerminalSize, type TerminalUpstream } from './terminal-upstream';

/** A node shell over the profile's SSH session: a PTY shell channel, resized with the window-change request. */
export async function startSshShell(session: SshSession): Promise<TerminalUpstream> {
  const channel = await session.shell(initialTerminalSize);
  return { stream: channel, resize: (cols, rows) => channel.setWindow(rows, cols, 0, 0) };
}
