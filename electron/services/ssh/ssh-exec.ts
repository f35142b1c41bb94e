import type { Readable, Writable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { sentenceOfError } from '../../../shared/text/sentence';
import { SshError } from './ssh-error';

export interface ExecOptions {
  onStdout?: (chunk: Buffer) => void;
  /** Instead of onStdout: stdout piped into this stream with back-pressure (a slow reader slows the command); not ended. */
  stdout?: Writable;
  onStderr?: (chunk: Buffer) => void;
  /** Aborting sends SIGTERM to the remote process group, then closes the channel. */
  signal?: AbortSignal;
  /** Written to the command's stdin, which is then closed; a stream is piped with back-pressure and closes it when it ends. */
  stdin?: string | Buffer | Readable;
  /** How long a cancelled command gets to exit after SIGTERM before the channel is closed on it. */
  cancelGraceMs?: number;
}

/** `exitCode` is null when the command died of a signal (then `signal` is its name, e.g. "TERM"). */
export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
}

const defaultCancelGraceMs = 2_000;

/**
 * Runs one command on an open connection, streaming its output. Cancel sends
 * a "signal" request first because closing the channel alone leaves a
 * command without a terminal running on the node (OpenSSH only kills it when
 * it next writes); OpenSSH delivers the signal to the whole process group.
 */
export function runExec(client: Client, command: string, options: ExecOptions = {}): Promise<ExecResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelled(command));
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) {
        const cause = sentenceOfError(error);
        reject(
          new SshError(
            'CHANNEL_FAILED',
            { en: `The node refused to run a command: ${cause.en}.`, fr: `Le nœud a refusé d’exécuter une commande : ${cause.fr}.` },
            { cause: error },
          ),
        );
        return;
      }
      followChannel(channel, command, options, resolve, reject);
    });
  });
}

function followChannel(
  channel: ClientChannel,
  command: string,
  options: ExecOptions,
  resolve: (result: ExecResult) => void,
  reject: (error: Error) => void,
): void {
  let result: ExecResult | undefined;
  let aborted = false;
  let graceTimer: NodeJS.Timeout | undefined;

  const onAbort = () => {
    aborted = true;
    // The output of a cancelled command is not wanted: drain it, or a stalled reader keeps the channel from closing.
    if (options.stdout !== undefined) {
      channel.unpipe(options.stdout);
      channel.resume();
    }
    sendSignal(channel, 'TERM');
    graceTimer = setTimeout(() => channel.close(), options.cancelGraceMs ?? defaultCancelGraceMs);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // An abort between the check in runExec and the channel opening.
  if (options.signal?.aborted) onAbort();

  if (options.stdout !== undefined) channel.pipe(options.stdout, { end: false });
  else channel.on('data', (chunk: Buffer) => options.onStdout?.(chunk));
  channel.stderr.on('data', (chunk: Buffer) => options.onStderr?.(chunk));
  channel.on('exit', (code: number | null, signalName?: string) => {
    // ssh2 reports "SIGKILL"; the SSH protocol and the result use the bare name, "KILL".
    result = { exitCode: code ?? null, signal: code === null ? (signalName?.replace(/^SIG/, '') ?? null) : null };
  });
  channel.on('close', () => {
    clearTimeout(graceTimer);
    options.signal?.removeEventListener('abort', onAbort);
    if (aborted) reject(cancelled(command));
    else if (result !== undefined) resolve(result);
    else
      reject(
        new SshError('DISCONNECTED', {
          en: `The connection dropped before "${shortCommand(command)}" finished; it may or may not have completed on the node.`,
          fr: `La connexion a été coupée avant la fin de « ${shortCommand(command)} » ; la commande s’est peut-être terminée sur le nœud, ou peut-être pas.`,
        }),
      );
  });

  if (options.stdin === undefined) channel.end();
  else if (typeof options.stdin === 'string' || Buffer.isBuffer(options.stdin)) channel.end(options.stdin);
  else options.stdin.pipe(channel);
}

interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?: (channelId: number, signal: string) => void } };
}

/**
 * ssh2's `channel.signal()` silently does nothing once stdin was closed
 * (it checks `writable`), yet a signal request is still valid on an open
 * channel after EOF (RFC 4254 §6.9) and that is exactly when a command is
 * running. So the request goes to ssh2's protocol layer directly, guarded by
 * a "channel open, maybe after our EOF" check; if ssh2's internals ever change, the
 * public method is the fallback and the grace-period close still ends it.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const signal = internals._client?._protocol?.signal;
  try {
    const state = internals.outgoing?.state;
    if ((state === 'open' || state === 'eof') && typeof id === 'number' && typeof signal === 'function') {
      signal.call(internals._client?._protocol, id, name);
    } else {
      channel.signal(name);
    }
  } catch {
    // The channel is closing already; the close that follows covers it.
  }
}

function cancelled(command: string): SshError {
  return new SshError('CANCELLED', { en: `"${shortCommand(command)}" was cancelled.`, fr: `La commande « ${shortCommand(command)} » a été annulée.` });
}

function shortCommand(command: string): string {
  return command.length > 60 ? command.slice(0, 57) + '...' : command;
}
