import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** The Host values a browser sends for this server; anything else is a DNS-rebinding attempt. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Why a request must be refused before anything else is read, or null. */
export function refuseNonLocal(request: IncomingMessage, port: number): string | null {
  if (!isLoopbackAddress(request.socket.remoteAddress)) return 'peer is not on this machine';
  if (!allowedHosts(port).has(request.headers.host ?? '')) return 'unexpected Host header';
  return null;
}
