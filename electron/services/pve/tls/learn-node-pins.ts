import { connectVerified } from './connect-verified';
import { normalizeFingerprint, type CertificateFingerprint } from './fingerprint';
import { probeCertificate } from './probe-certificate';
import type { TlsTrust } from './trust';

/** A pin for the endpoint at `index`, proven by the cluster itself. */
export interface LearnedPin {
  index: number;
  fingerprint: CertificateFingerprint;
}

const defaultHandshakeTimeoutMs = 5_000;

/**
 * Each PVE node has its own certificate, and `/nodes` (read over a connection
 * the user already trusts) lists every node's `ssl_fingerprint`. An endpoint
 * that no CA of the system vouches for is pinned when the certificate it
 * presents is one the cluster lists, so failing over to it asks nothing.
 * Pinned endpoints are left alone: a pin that no longer matches stays a
 * mismatch for the user to decide, never silently replaced. Only TLS
 * handshakes are made here; no request is sent to an endpoint not yet trusted.
 */
export async function learnNodePins(
  endpoints: readonly { host: string; port: number; trust: TlsTrust }[],
  clusterFingerprints: readonly string[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<LearnedPin[]> {
  const known = new Set(clusterFingerprints.map(normalizeFingerprint).filter((fingerprint) => fingerprint !== null));
  if (known.size === 0) return [];
  const limits = { timeoutMs: options.timeoutMs ?? defaultHandshakeTimeoutMs, ...(options.signal !== undefined ? { signal: options.signal } : {}) };
  const learned = await Promise.all(
    endpoints.map(async ({ host, port, trust }, index): Promise<LearnedPin | undefined> => {
      if (trust.mode === 'pinned' || (await systemTrusts({ host, port, ...limits }))) return undefined;
      const presented = await probeCertificate({ host, port, ...limits }).catch(() => undefined);
      return presented !== undefined && known.has(presented.fingerprint256) ? { index, fingerprint: presented.fingerprint256 } : undefined;
    }),
  );
  return learned.filter((pin) => pin !== undefined);
}

/** True when the system's CAs vouch for the endpoint: such an endpoint keeps following the system (a renewed certificate needs no new pin). */
async function systemTrusts(limits: { host: string; port: number; timeoutMs: number; signal?: AbortSignal }): Promise<boolean> {
  try {
    const socket = await connectVerified(limits);
    socket.end();
    setTimeout(() => socket.destroy(), 2_000).unref();
    return true;
  } catch {
    return false;
  }
}
