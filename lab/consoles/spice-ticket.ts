import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `host` value of a spiceproxy answer, which remote-viewer (spice-gtk)
 * sends back as the CONNECT target and `Host:` header:
 *
 *   pvespiceproxy:<8 hex epoch seconds>:<vmid>:<node>:<tls port>::<hex HMAC-SHA256>
 *
 * Like PVE's (`pvespiceproxy:<time>:<vmid>:<node>::<hmac>`), plus the TLS
 * port, so a ticket opens exactly one guest's SPICE port. Only characters
 * that survive glib's proxy URI handling unescaped are used.
 */
export interface SpiceProxyTarget {
  node: string;
  vmid: number;
  tlsPort: number;
}

const PREFIX = 'pvespiceproxy';
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const TICKET = /^pvespiceproxy:([0-9a-f]{8}):(\d{1,9}):([A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})::([0-9a-f]{64})$/;

function sign(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

export function issueSpiceProxyTicket(key: Buffer, target: SpiceProxyTarget, nowSeconds: number): string {
  if (!NODE_NAME.test(target.node)) throw new Error(`node name '${target.node}' cannot go into a spice proxy ticket`);
  if (!Number.isInteger(target.vmid) || target.vmid <= 0) throw new Error(`bad vmid ${target.vmid}`);
  if (!Number.isInteger(target.tlsPort) || target.tlsPort <= 0 || target.tlsPort > 65535) throw new Error(`bad TLS port ${target.tlsPort}`);
  const time = Math.floor(nowSeconds).toString(16).padStart(8, '0');
  const data = `${PREFIX}:${time}:${target.vmid}:${target.node}:${target.tlsPort}`;
  return `${data}::${sign(key, data)}`;
}

export type SpiceTicketCheck = { ok: true; target: SpiceProxyTarget } | { ok: false; reason: 'malformed' | 'bad signature' | 'expired' };

/**
 * Checks a ticket's signature and age. PVE (pve-common `Ticket.pm`
 * `verify_spice_connect_url`) accepts its spice proxy tickets while their age
 * in whole seconds is over -20 (clock skew between nodes) and under
 * `lifetimeSeconds` (40): both bounds excluded, as the lab does.
 */
export function verifySpiceProxyTicket(key: Buffer, ticket: string, nowSeconds: number, lifetimeSeconds: number): SpiceTicketCheck {
  const match = TICKET.exec(ticket);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, time = '', vmid = '', node = '', tlsPort = '', signature = ''] = match;
  const expected = Buffer.from(sign(key, ticket.slice(0, ticket.lastIndexOf('::'))), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad signature' };
  const age = Math.floor(nowSeconds) - parseInt(time, 16);
  if (age <= -20 || age >= lifetimeSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, target: { node, vmid: Number(vmid), tlsPort: Number(tlsPort) } };
}
