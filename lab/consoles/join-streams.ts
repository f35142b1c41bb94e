import type { Duplex } from 'node:stream';

/**
 * Relays bytes both ways between two duplex streams with backpressure, and
 * tears both down as soon as either side closes or fails: a console
 * connection is useless once one of its ends is gone.
 */
export function joinStreams(a: Duplex, b: Duplex, onClose?: () => void): void {
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    a.destroy();
    b.destroy();
    onClose?.();
  };
  a.pipe(b);
  b.pipe(a);
  for (const stream of [a, b]) {
    stream.on('error', finish);
    stream.on('close', finish);
  }
}
