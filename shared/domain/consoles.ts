/**
 * Consoles: what the renderer learns about a console it asked for, and the close codes the relay uses.
 * The console's bytes never cross IPC: they go through the loopback relay (electron/services/consoles).
 */

export const consoleKinds = ['vnc', 'spice', 'serial', 'shell'] as const;
export type ConsoleKind = (typeof consoleKinds)[number];

/** How a node shell is reached: PVE's termproxy (Sys.Console), or an SSH shell when the profile has SSH to the node. */
export const shellPaths = ['termproxy', 'ssh'] as const;
export type ShellPath = (typeof shellPaths)[number];

/**
 * Which way the relay reached a guest's SPICE proxy, and why (the self-healing path):
 * - `answered`: the proxy PVE named in its spiceproxy answer (asked with the host the app reaches);
 * - `api-host`: port 3128 on the API host, because the answered proxy did not answer;
 * - `ssh-tunnel`: through SSH to the node's own proxy, because neither answered.
 */
export const spicePathKinds = ['answered', 'api-host', 'ssh-tunnel'] as const;
export type SpicePathKind = (typeof spicePathKinds)[number];

export interface SpicePath {
  via: SpicePathKind;
  /** `host:port` of the proxy the relay connected to (the SSH tunnel's far end for `ssh-tunnel`). */
  address: string;
  /** The addresses tried before and found unreachable, in order (empty for `answered`). */
  unreachable: string[];
}

/** Keyboard layouts type-clipboard knows; PVE's `keyboard` option names them the same way. */
export const keyboardLayouts = ['en-us', 'fr'] as const;
export type KeyboardLayout = (typeof keyboardLayouts)[number];

/** What the renderer gets for a console: where to connect, once, within `expiresInMs`. No ticket, no password. */
export interface ConsoleSession {
  kind: ConsoleKind;
  /** `ws://127.0.0.1:<port>/relay/<token>`: single use (SPICE: the main channel starts the session, its other channels join it). */
  url: string;
  /** The WebSocket subprotocols to offer: `binary` and this window's proof; the relay refuses any other window. */
  protocols: string[];
  expiresInMs: number;
  /** What the tab is called: `debian-lab (100)`, `pve1`. */
  title: string;
  profileId: string;
  node: string;
  vmid?: number;
  /** The profile allows clipboard sharing with its guests. */
  clipboardSharing: boolean;
  /** VNC: the guest's `vga` has `clipboard=vnc` (QEMU's vdagent answers noVNC's clipboard messages). */
  vncClipboard?: boolean;
  /** PVE's `keyboard` option of the guest when set and known, for type-clipboard. */
  keyboard?: KeyboardLayout;
  /** SPICE: how the proxy was reached. */
  spicePath?: SpicePath;
  /** SPICE: the guest has an audio device (`audio0`). */
  audio?: boolean;
}

/** What "Open in remote-viewer" did. */
export type RemoteViewerLaunch =
  | { launched: true; spicePath: SpicePath }
  /** remote-viewer is not installed: `installHint` is the command or page for this OS. */
  | { launched: false; installHint: RemoteViewerInstallHint };

export const remoteViewerInstallHints = ['debian', 'fedora', 'arch', 'suse', 'windows', 'macos', 'other'] as const;
export type RemoteViewerInstallHint = (typeof remoteViewerInstallHints)[number];

/**
 * WebSocket close codes of the relay (4000–4999 are the application's): the viewer says what happened
 * from the code; the close reason is an English detail without any secret.
 */
export const relayCloseCodes = {
  /** The token is unknown, spent, expired or another window's. */
  tokenRefused: 4001,
  /** The upstream (PVE's websocket, the SPICE proxy, SSH) could not be reached. */
  unreachable: 4002,
  /** The upstream's certificate is not the pinned one, or not signed by the answer's CA / not the `host-subject`. */
  certificate: 4003,
  /** The upstream refused the console's ticket or password (expired, or the session ended). */
  authFailed: 4004,
  /** The upstream closed or dropped: reconnecting may help. */
  upstreamClosed: 4005,
  /** The upstream spoke something the relay does not accept (bad RFB/SPICE handshake, oversized frame). */
  protocolError: 4006,
} as const;
export type RelayCloseReason = keyof typeof relayCloseCodes;

/**
 * The largest frame a viewer may send the relay (PVE drops client frames over 128 KiB upstream): viewers cut longer
 * input (a big paste) into frames of at most this size.
 */
export const maxViewerFrameBytes = 64 * 1024;

/** Control messages a terminal viewer sends as text frames (data goes as binary frames, both ways). */
export type TerminalControl = { type: 'resize'; cols: number; rows: number };
