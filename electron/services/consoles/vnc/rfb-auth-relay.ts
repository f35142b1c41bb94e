import type { ByteQueue } from '../relay/byte-queue';
import { ConsoleRelayError } from '../relay/close-viewer';
import { vncAuthResponse, vncChallengeBytes } from './vnc-des';

/** The one RFB version the relay speaks, both ways (QEMU's, and noVNC's answer to it). */
export const rfbVersion = Buffer.from('RFB 003.008\n', 'latin1');
const securityNone = 1;
const securityVncAuth = 2;
/** Reason strings longer than this are not an RFB server's: the stream is broken. */
const maxReasonBytes = 4096;

async function readReason(bytes: ByteQueue): Promise<string> {
  const length = (await bytes.read(4)).readUInt32BE(0);
  if (length > maxReasonBytes) throw new ConsoleRelayError('protocolError', 'The VNC server sent an oversized failure reason.');
  return (await bytes.read(length)).toString('latin1').replace(/[^\x20-\x7e]/g, '?');
}

async function expectVersion(bytes: ByteQueue, who: string): Promise<void> {
  const version = await bytes.read(rfbVersion.length);
  if (!version.equals(rfbVersion)) {
    const shown = version
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '?')
      .trim();
    throw new ConsoleRelayError('protocolError', `The ${who} speaks "${shown}", not RFB 3.8.`);
  }
}

/**
 * The relay's side toward QEMU: RFB 3.8, security type 2 (VNC authentication) answered with the console's password,
 * then the SecurityResult. On success the server waits for ClientInit, which the viewer sends next.
 */
export async function authenticateUpstream(bytes: ByteQueue, write: (data: Buffer) => void, password: string): Promise<void> {
  await expectVersion(bytes, 'VNC server');
  write(rfbVersion);
  const count = (await bytes.read(1))[0] ?? 0;
  if (count === 0) throw new ConsoleRelayError('authFailed', `The VNC server refused the connection: ${await readReason(bytes)}`);
  const types = [...(await bytes.read(count))];
  if (types.includes(securityVncAuth)) {
    write(Buffer.of(securityVncAuth));
    write(vncAuthResponse(password, await bytes.read(vncChallengeBytes)));
  } else if (types.includes(securityNone)) {
    write(Buffer.of(securityNone));
  } else {
    throw new ConsoleRelayError('protocolError', `The VNC server offers no security type the relay speaks (${types.join(', ')}).`);
  }
  if ((await bytes.read(4)).readUInt32BE(0) !== 0) {
    throw new ConsoleRelayError('authFailed', `The VNC server refused the console's password: ${await readReason(bytes)}`);
  }
}

/**
 * The relay's side toward the viewer: RFB 3.8 offering only security type 1 (None), since the relay has already
 * authenticated, then SecurityResult OK. The viewer's ClientInit follows, for the server.
 */
export async function greetViewer(bytes: ByteQueue, write: (data: Buffer) => void): Promise<void> {
  write(rfbVersion);
  await expectVersion(bytes, 'viewer');
  write(Buffer.of(1, securityNone));
  const chosen = (await bytes.read(1))[0];
  if (chosen !== securityNone) throw new ConsoleRelayError('protocolError', `The viewer chose security type ${String(chosen)}, not None.`);
  write(Buffer.alloc(4));
}
