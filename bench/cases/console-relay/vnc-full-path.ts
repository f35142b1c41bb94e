/**
 * The whole way a VNC console's bytes go in the app, for information: a WebSocket viewer → the relay in main →
 * TLS → the lab's `vncwebsocket` → QEMU's VNC server. Opened through the services' IPC as a window would, then
 * spoken to as noVNC would (RFB 3.8, security None as the relay offers it), asking for whole raw frames.
 */
import { WebSocket } from 'ws';
import type { ConsoleSession } from '../../../shared/domain/consoles';
import { StreamReader } from './rfb-reader';

export interface FullPathFigures {
  /** Screen size as QEMU announced it. */
  width: number;
  height: number;
  /** Round trips of a non-incremental FramebufferUpdateRequest of the whole screen to its last byte. */
  roundTripsMs: number[];
  /** Bytes of one whole raw frame. */
  frameBytes: number;
}

const rfbVersion = Buffer.from('RFB 003.008\n', 'latin1');
const securityNone = 1;
const encodingRaw = 0;

/** Opens the viewer's socket on `session` and times `frames` whole-screen raw updates. */
export async function measureVncPath(session: ConsoleSession, frames: number): Promise<FullPathFigures> {
  const socket = await openViewer(session);
  try {
    const reader = new StreamReader(socket);
    const screen = await handshake(socket, reader);
    const bytesPerPixel = screen.bitsPerPixel / 8;
    // Raw only: every update is the frame's pixels, which is what a bytes-per-second figure should count.
    socket.send(Buffer.from([2, 0, 0, 1, 0, 0, 0, encodingRaw]));
    const roundTripsMs: number[] = [];
    let frameBytes = 0;
    for (let frame = 0; frame < frames; frame++) {
      const started = process.hrtime.bigint();
      socket.send(updateRequest(screen.width, screen.height));
      frameBytes = await readUpdate(reader, bytesPerPixel);
      roundTripsMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { width: screen.width, height: screen.height, roundTripsMs, frameBytes };
  } finally {
    socket.terminate();
  }
}

function openViewer(session: ConsoleSession): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(session.url, session.protocols, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('close', (code, reason) => reject(new Error(`the relay closed the viewer (${code} ${reason.toString()})`)));
  });
}

async function handshake(socket: WebSocket, reader: StreamReader): Promise<{ width: number; height: number; bitsPerPixel: number }> {
  const version = (await reader.read(12)).toString('latin1');
  if (version !== rfbVersion.toString('latin1')) throw new Error(`the relay offered ${JSON.stringify(version)}, not RFB 3.8`);
  socket.send(rfbVersion);
  const count = (await reader.read(1))[0] ?? 0;
  if (count === 0) throw new Error('the relay offered no security type');
  const types = [...(await reader.read(count))];
  if (!types.includes(securityNone)) throw new Error(`the relay offered security types ${types.join(', ')}, not None`);
  socket.send(Buffer.from([securityNone]));
  if ((await reader.read(4)).readUInt32BE(0) !== 0) throw new Error('the relay refused security None');
  socket.send(Buffer.from([1])); // ClientInit: shared, as noVNC asks by default.
  const init = await reader.read(24);
  await reader.read(init.readUInt32BE(20)); // The desktop's name.
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), bitsPerPixel: init[4] ?? 32 };
}

function updateRequest(width: number, height: number): Buffer {
  const request = Buffer.alloc(10);
  request[0] = 3; // FramebufferUpdateRequest, incremental 0: the whole screen, now.
  request.writeUInt16BE(width, 6);
  request.writeUInt16BE(height, 8);
  return request;
}

/** Reads server messages until a FramebufferUpdate has arrived whole; answers its pixel bytes. */
async function readUpdate(reader: StreamReader, bytesPerPixel: number): Promise<number> {
  for (;;) {
    const type = (await reader.read(1))[0];
    if (type === 0) {
      const rectangles = (await reader.read(3)).readUInt16BE(1);
      let bytes = 0;
      for (let rectangle = 0; rectangle < rectangles; rectangle++) {
        const header = await reader.read(12);
        const encoding = header.readInt32BE(8);
        if (encoding !== encodingRaw) throw new Error(`QEMU sent encoding ${encoding} though only raw was asked for`);
        const length = header.readUInt16BE(4) * header.readUInt16BE(6) * bytesPerPixel;
        await reader.read(length);
        bytes += length;
      }
      return bytes;
    }
    if (type === 2) continue; // Bell.
    if (type === 3) {
      const header = await reader.read(7);
      await reader.read(header.readUInt32BE(3)); // Cut text.
      continue;
    }
    throw new Error(`unexpected RFB server message ${String(type)}`);
  }
}
