import type { Duplex } from 'node:stream';
import type { AcceptConnection, Channel, Client, UNIXConnectionDetails } from 'ssh2';
import type { Logger } from '../log';
import { sentenceOfError } from '../../../shared/text/sentence';
import { SshError } from './ssh-error';

/** A unix socket on the remote host whose every connection comes back over SSH as a stream. */
export interface RemoteForward {
  readonly remoteSocketPath: string;
  /** Stops the remote listener (sshd removes the socket) and cuts the connections in flight. */
  close(): Promise<void>;
}

/**
 * Asks sshd to listen on `remoteSocketPath` (OpenSSH's streamlocal-forward,
 * `ssh -R /path:…`). Only connections to that very path are accepted: other
 * forwards of the same connection handle their own.
 */
export async function startRemoteForward(options: {
  client: Client;
  remoteSocketPath: string;
  onStream: (stream: Duplex) => void;
  label: string;
  logger: Logger;
}): Promise<RemoteForward> {
  const { client, remoteSocketPath } = options;
  const channels = new Set<Channel>();
  const onConnection = (info: UNIXConnectionDetails, accept: AcceptConnection) => {
    if (info.socketPath !== remoteSocketPath) return;
    const channel = accept();
    channels.add(channel);
    channel.once('close', () => channels.delete(channel));
    options.onStream(channel);
  };
  // Listening before asking: the first connection may arrive in the same read as sshd's answer.
  client.on('unix connection', onConnection);
  try {
    await new Promise<void>((resolve, reject) => {
      client.openssh_forwardInStreamLocal(remoteSocketPath, (error) => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    client.off('unix connection', onConnection);
    const cause = sentenceOfError(error);
    throw new SshError(
      'CHANNEL_FAILED',
      {
        en:
          `${options.label} refused to listen on the socket ${remoteSocketPath}: ${cause.en}. ` +
          "Check AllowStreamLocalForwarding in the node's sshd_config, and that nothing is in the way at that path.",
        fr:
          `${options.label} a refusé d’écouter sur le socket ${remoteSocketPath} : ${cause.fr}. ` +
          'Vérifiez AllowStreamLocalForwarding dans le sshd_config du nœud, et que rien n’occupe déjà ce chemin.',
      },
      { cause: error },
    );
  }
  let closing: Promise<void> | undefined;
  return {
    remoteSocketPath,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        client.off('unix connection', onConnection);
        for (const channel of channels) channel.destroy();
        try {
          client.openssh_unforwardInStreamLocal(remoteSocketPath, (error) => {
            // Already gone with a dropped connection: nothing is left listening either way.
            if (error) options.logger.debug('ssh.unforward-failed', { forward: `${options.label} <- ${remoteSocketPath}`, error });
            resolve();
          });
        } catch (error) {
          options.logger.debug('ssh.unforward-failed', { forward: `${options.label} <- ${remoteSocketPath}`, error });
          resolve();
        }
      })),
  };
}
