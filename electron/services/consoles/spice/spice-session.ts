import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { relayCloseCodes } from '../../../../shared/domain/consoles';
import type { Logger } from '../../log';
import type { RelayEntry } from '../relay/relay-entry';
import { pumpBetween } from '../relay/pump';
import { ConnectRefusedError, connectThroughProxy } from './connect-proxy';
import { SPICE_CHANNEL_MAIN, SpiceLinkError, SpiceLinkTicket } from './link-ticket';
import { SpiceCertificateError, startSpiceTls } from './spice-tls';
import type { SpiceRoute } from './spice-path';

/** What a session needs of PVE's spiceproxy answer: the secrets stay in main. */
export interface SpiceUpstream {
  /** The proxy ticket (`host` of the answer): the CONNECT target. */
  ticket: string;
  tlsPort: number;
  password: string;
  ca: string;
  hostSubject: string;
}

export interface SpiceSessionOptions {
  caller: string;
  label: string;
  route: SpiceRoute;
  upstream: SpiceUpstream;
  logger: Logger;
  /** CONNECT and TLS, each (default 10 s). */
  timeoutMs?: number;
  /** Channels of one session (default 16: main, display, inputs, cursor, playback, record, a few usbredir). */
  maxChannels?: number;
}

const defaultTimeoutMs = 10_000;
/** From the viewer's connection to the link result: the path, CONNECT, TLS and both link messages. */
const linkTimeoutMs = 30_000;
const defaultMaxChannels = 16;

/** A channel that failed: the close code and an English reason without any secret (at most 123 bytes). */
class ChannelFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function failureOf(error: unknown): ChannelFailure {
  if (error instanceof ChannelFailure) return error;
  if (error instanceof SpiceLinkError)
    return new ChannelFailure(relayCloseCodes.protocolError, `SPICE link refused (${error.side}): ${error.message}`.slice(0, 120));
  if (error instanceof SpiceCertificateError) {
    return new ChannelFailure(
      relayCloseCodes.certificate,
      error.problem === 'subject'
        ? "The SPICE server's certificate subject is not the host-subject PVE named."
        : "The SPICE server's certificate is not signed by the CA PVE named.",
    );
  }
  if (error instanceof ConnectRefusedError && (error.status === 401 || error.status === 403)) {
    return new ChannelFailure(relayCloseCodes.authFailed, 'The SPICE proxy refused the ticket (expired?); open the console again.');
  }
  return new ChannelFailure(relayCloseCodes.unreachable, 'The SPICE proxy or the guest SPICE port could not be reached.');
}

/**
 * One SPICE console in the relay: the first viewer connection must be the main channel and starts the session; the
 * viewer's other channels join it with the same URL while the main channel lives. Each channel gets its own upstream
 * on the session's path (CONNECT with the proxy ticket, then TLS checked against the answer's CA and host-subject),
 * and its link stage is rewritten so the password reaches QEMU without ever reaching the viewer.
 */
export class SpiceSession implements RelayEntry {
  readonly caller: string;
  readonly label: string;
  private mainOpen = false;
  private readonly channels = new Set<WebSocket>();

  constructor(private readonly options: SpiceSessionOptions) {
    this.caller = options.caller;
    this.label = options.label;
  }

  admitsMore(): boolean {
    return this.mainOpen && this.channels.size < (this.options.maxChannels ?? defaultMaxChannels);
  }

  accept(viewer: WebSocket, first: boolean): void {
    if (first) this.mainOpen = true;
    this.channels.add(viewer);
    viewer.once('close', () => {
      this.channels.delete(viewer);
      // The session ends with its main channel: the others belong to it (QEMU ends them too).
      if (first) this.end();
    });
    void this.runChannel(viewer, first).catch((error: unknown) => this.fail(viewer, error));
  }

  discard(): void {
    this.end();
  }

  private end(): void {
    this.mainOpen = false;
    for (const channel of this.channels) channel.close(relayCloseCodes.upstreamClosed, 'The SPICE session ended with its main channel.');
  }

  /** Closes a channel that failed, once: after the viewer left or an earlier failure closed it, what follows is its echo. */
  private fail(viewer: WebSocket, error: unknown): void {
    if (viewer.readyState !== WebSocket.OPEN && viewer.readyState !== WebSocket.CONNECTING) return;
    const failure = failureOf(error);
    this.options.logger.warn('consoles.spice-channel-failed', { console: this.label, code: failure.code, reason: failure.reason, error });
    viewer.close(failure.code, failure.reason);
  }

  /** Reads the viewer's link while the upstream opens, rewrites the link stage, then pumps the channel's bytes. */
  private async runChannel(viewer: WebSocket, first: boolean): Promise<void> {
    const { upstream: secrets, route, logger } = this.options;
    const timeoutMs = this.options.timeoutMs ?? defaultTimeoutMs;
    const link = new SpiceLinkTicket(secrets.password);
    const toServer: Buffer[] = [];
    let upstream: Duplex | undefined = undefined;
    let failed: unknown;
    let announced = false;

    const onViewerFailure = (error: unknown): void => {
      failed ??= error;
      upstream?.destroy();
      this.fail(viewer, error);
    };
    const onViewer = (data: RawData, isBinary: boolean): void => {
      try {
        if (!isBinary) throw new SpiceLinkError('viewer', 'a text frame during the link');
        const step = link.fromViewer(data as Buffer);
        const request = link.request;
        if (request !== undefined && !announced) {
          announced = true;
          if (first !== (request.channelType === SPICE_CHANNEL_MAIN)) {
            throw new ChannelFailure(
              relayCloseCodes.protocolError,
              first ? 'A SPICE session starts with its main channel.' : 'A SPICE session has one main channel.',
            );
          }
          logger.info('consoles.spice-channel', { console: this.label, channelType: request.channelType, channelId: request.channelId });
        }
        if (step.toServer.length > 0) {
          if (upstream === undefined) toServer.push(step.toServer);
          else upstream.write(step.toServer);
        }
      } catch (error) {
        onViewerFailure(error);
      }
    };
    viewer.on('message', onViewer);
    // A viewer that never finishes its link must not hold an upstream open.
    const timer = setTimeout(() => onViewerFailure(new ChannelFailure(relayCloseCodes.protocolError, 'The SPICE link did not finish in time.')), linkTimeoutMs);
    const abandoned = (): boolean => failed !== undefined || viewer.readyState !== WebSocket.OPEN;
    try {
      const stream = await route.open();
      if (abandoned()) return void stream.destroy();
      try {
        await connectThroughProxy(stream, secrets.ticket, secrets.tlsPort, timeoutMs);
      } catch (error) {
        stream.destroy();
        throw error;
      }
      const tls = await startSpiceTls(stream, { ca: secrets.ca, hostSubject: secrets.hostSubject }, timeoutMs);
      if (abandoned()) return void tls.destroy();
      upstream = tls;
      for (const bytes of toServer.splice(0)) tls.write(bytes);
      await this.linkStage(viewer, tls, link, onViewer);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Carries the server's side of the link stage until the link result, then hands the channel to the pump. */
  private linkStage(viewer: WebSocket, tls: Duplex, link: SpiceLinkTicket, onViewer: (data: RawData, isBinary: boolean) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = (): void => {
        tls.off('data', onServer);
        tls.off('close', onClose);
        viewer.off('message', onViewer);
        viewer.off('close', onViewerClose);
      };
      const onClose = (): void => {
        stop();
        reject(new ChannelFailure(relayCloseCodes.upstreamClosed, 'The SPICE server closed the channel during its link.'));
      };
      const onViewerClose = (): void => {
        stop();
        tls.destroy();
        resolve();
      };
      const onServer = (chunk: Buffer): void => {
        try {
          const step = link.fromServer(chunk);
          if (step.toViewer.length > 0) viewer.send(step.toViewer);
          if (step.toServer.length > 0) tls.write(step.toServer);
        } catch (error) {
          stop();
          tls.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (!link.done) return;
        stop();
        if (link.linkResult !== 0) {
          tls.destroy();
          reject(
            new ChannelFailure(relayCloseCodes.authFailed, `The SPICE server refused the channel (link error ${link.linkResult}); open the console again.`),
          );
          return;
        }
        tls.pause();
        pumpBetween(viewer, tls);
        resolve();
      };
      tls.on('data', onServer);
      tls.once('close', onClose);
      tls.on('error', () => undefined);
      viewer.once('close', onViewerClose);
    });
  }
}
