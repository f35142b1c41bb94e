import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { hostPortLabel } from '../../../../shared/domain/host-port';
import type { SpicePath, SpicePathKind } from '../../../../shared/domain/consoles';
import { IpcError } from '../../../../shared/ipc/errors';
import { DescribedError, sentenceOfError, type Sentence } from '../../../../shared/text/sentence';

/**
 * The SPICE proxy path that heals itself. PVE answers `proxy=http://<address>:3128` for the address the app asked
 * with, but that address may not carry port 3128 from the user's desk (a NAT that forwards only 8006, a firewall).
 * The relay tries, in order: the answered proxy; the API host the app reaches on the same port; the node's own proxy
 * (127.0.0.1 on the node) through SSH. The first that answers is kept for every channel of the session.
 */

export interface ProxyAddress {
  host: string;
  port: number;
}

/** How the relay opens one raw stream to the proxy on the chosen path. */
export interface SpiceRoute {
  path: SpicePath;
  /** The proxy the path reaches (for `ssh-tunnel`, as the node sees it). */
  proxy: ProxyAddress;
  open(): Promise<Duplex>;
}

/** How the path's steps reach the network; the SSH step goes through the node's session. */
export interface SpicePathOptions {
  answered: ProxyAddress;
  apiHost: string;
  /** A tunnel from the node to `host:port` (the sessions' SSH to the node); rejects when the node has no SSH. */
  sshTunnel(host: string, port: number): Promise<Duplex>;
  /** How long one TCP step may take before it counts as unreachable. */
  timeoutMs: number;
}

/** `http://<host>:<port>` of a spiceproxy answer (brackets around IPv6); PVE's proxy port is 3128. */
export function proxyAddressOf(proxyUrl: string): ProxyAddress {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new IpcError('BAD_RESPONSE', {
      en: `PVE answered a SPICE proxy that is not a URL (${proxyUrl.slice(0, 100)}).`,
      fr: `PVE a indiqué un proxy SPICE qui n’est pas une URL (${proxyUrl.slice(0, 100)}).`,
    });
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 3128) };
}

/** A TCP connection to `host:port`, refused after `timeoutMs`. */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DescribedError({ en: `no answer within ${timeoutMs} ms`, fr: `pas de réponse en ${timeoutMs} ms` }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
  });
}

interface Step {
  via: SpicePathKind;
  address: ProxyAddress;
  open(): Promise<Duplex>;
}

function stepsOf(options: SpicePathOptions): Step[] {
  const { answered, apiHost, timeoutMs } = options;
  const viaTcp = (via: SpicePathKind, address: ProxyAddress): Step => ({ via, address, open: () => connectTcp(address.host, address.port, timeoutMs) });
  const steps = [viaTcp('answered', answered)];
  // The API host is worth a try only when it is another address than the one that did not answer.
  if (apiHost !== answered.host) steps.push(viaTcp('api-host', { host: apiHost, port: answered.port }));
  const nodeProxy = { host: '127.0.0.1', port: answered.port };
  steps.push({ via: 'ssh-tunnel', address: nodeProxy, open: () => options.sshTunnel(nodeProxy.host, nodeProxy.port) });
  return steps;
}

/** Tries each step once (a connection opened and closed); answers the first that worked, or UNREACHABLE naming them all. */
export async function healSpicePath(options: SpicePathOptions): Promise<SpiceRoute> {
  const unreachable: string[] = [];
  const reasons: Sentence[] = [];
  for (const step of stepsOf(options)) {
    const address = hostPortLabel(step.address.host, step.address.port);
    try {
      const probe = await step.open();
      probe.destroy();
      return { path: { via: step.via, address, unreachable }, proxy: step.address, open: step.open };
    } catch (error) {
      const where: Sentence =
        step.via === 'ssh-tunnel' ? { en: `${address} through SSH to the node`, fr: `${address} par SSH vers le nœud` } : { en: address, fr: address };
      unreachable.push(where.en);
      const reason = sentenceOfError(error);
      reasons.push({ en: `${where.en}: ${reason.en}`, fr: `${where.fr} : ${reason.fr}` });
    }
  }
  throw new IpcError('UNREACHABLE', {
    en: `The SPICE proxy could not be reached (${reasons.map((reason) => reason.en).join('; ')}). Check that port 3128 of the cluster is reachable, or set up SSH to its nodes.`,
    fr: `Le proxy SPICE est injoignable (${reasons.map((reason) => reason.fr).join(' ; ')}). Vérifiez que le port 3128 du cluster est joignable, ou configurez l’accès SSH à ses nœuds.`,
  });
}
