import { isIP } from 'node:net';
import { isPveError } from '../pve';

/** A guest's agent can report anything: this many addresses are plenty for a search and a summary. */
const maxAddresses = 32;

/** Loopback and link-local addresses say nothing about where to reach a guest. */
function isUsable(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return !address.startsWith('127.') && !address.startsWith('169.254.');
  if (version === 6) {
    const lower = address.toLowerCase();
    return lower !== '::1' && !/^fe[89ab]/.test(lower);
  }
  return false;
}

/** The addresses a guest agent reported that are real IPs and worth showing, once each. */
export function usableAddresses(addresses: readonly string[]): string[] {
  return [...new Set(addresses.filter(isUsable))].slice(0, maxAddresses);
}

/**
 * PVE's answers that mean nobody is there to ask: no agent configured, the
 * guest or its agent not running (500 with that text), or no right to ask
 * (403: VM.GuestAgent.Audit in PVE 9, VM.Monitor before).
 */
export function isAgentUnavailable(error: unknown): boolean {
  if (isPveError(error, 'PERMISSION_DENIED')) return true;
  return isPveError(error, 'SERVER_ERROR') && /guest agent|not running/i.test(error.details.serverMessage);
}
