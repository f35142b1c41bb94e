/**
 * The bench's upstream, run as a child process of its own (as QEMU is one): a loopback TCP server whose clients say
 * what they want in their first byte. `B`: the server sends `pumpBytes`, then waits for the client to close (a bridge
 * that closes its viewer on the upstream's end may drop what it still holds: websockify does); `P`: it echoes every
 * byte back (pings). Prints `PUMP <port>` once it listens.
 */
import { createServer, type Socket } from 'node:net';
import { pumpBytes, pumpModes } from './pump-protocol';

const chunk = Buffer.alloc(1024 * 1024, 0x5a);

function sendBulk(socket: Socket): void {
  let left = pumpBytes;
  const fill = (): void => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!socket.write(piece)) {
        socket.once('drain', fill);
        return;
      }
    }
  };
  fill();
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.once('data', (first: Buffer) => {
    if (first[0] === pumpModes.bulk) {
      sendBulk(socket);
      return;
    }
    // Echo: what came with the mode byte, then everything after it.
    if (first.length > 1) socket.write(first.subarray(1));
    socket.pipe(socket);
  });
});

server.listen({ host: '127.0.0.1', port: 0 }, () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the pump has no TCP address');
  process.stdout.write(`PUMP ${address.port}\n`);
});
