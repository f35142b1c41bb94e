import { PassThrough, type Readable } from 'node:stream';
import { IpcError, type IpcErrorCode } from '../../../../shared/ipc/errors';
import { asSentence, type Sentence } from '../../../../shared/text/sentence';
import type { SshSession } from '../../ssh';

/** What the node operations need of an SSH session: running one command. */
export type NodeShell = Pick<SshSession, 'exec'>;

/** How much of a command's stderr an error keeps: its end, where the reason is. */
const STDERR_KEPT = 4 * 1024;
/** A command whose answer is read whole (JSON of qemu-img, a path) never legitimately prints more. */
const STDOUT_LIMIT = 64 * 1024 * 1024;

/**
 * A command on the node that failed. The message says which, how, the end
 * of what it printed on stderr, and what to do; `stderr` keeps that end.
 */
export class NodeCommandError extends IpcError {
  constructor(
    code: IpcErrorCode,
    text: string | Sentence,
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(code, text);
    this.name = 'NodeCommandError';
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Exit codes that are answers, not failures (`qemu-img compare` exits 1 for "different"). */
  okExitCodes?: readonly number[];
  /** Streamed stdout (progress); the result's `stdout` is then empty. */
  onStdout?: (text: string) => void;
  stdin?: string | Buffer | Readable;
  /** Said after the failure, e.g. "Check that the storage has room." */
  hint?: Sentence;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  /** The end of stderr (warnings of a command that succeeded). */
  stderr: string;
}

/** Keeps the last `limit` characters of what is appended. */
function tail(limit: number): { add(text: string): void; text(): string } {
  let kept = '';
  return {
    add(text) {
      kept = (kept + text).slice(-limit);
    },
    text: () => kept,
  };
}

/**
 * Put before a command that reads no input: when its stdin ends (the
 * workstation ends it on cancel; sshd closes it when the connection drops),
 * the command's whole process group is stopped. Cancelling also sends the
 * session a TERM signal, which OpenSSH delivers to the process group, but
 * refuses for a ForceCommand session (the lab's nodes, hardened servers);
 * without this, qemu-img would keep running there, holding its files.
 */
const STOP_WHEN_STDIN_ENDS = ['exec 3<&0 </dev/null', '{ cat <&3 >/dev/null 2>&1; kill -TERM 0; } >/dev/null 2>&1 &', 'exec 3<&-'].join('\n');

/**
 * Runs `command` (built with shellCommand) on the node as `what` (e.g.
 * "qemu-img info", or words in every language) names it, and throws a NodeCommandError when it exits with
 * a code not in `okExitCodes` or dies of a signal. Cancelling (`signal`) ends
 * it on the node and rejects with the SSH session's CANCELLED error.
 */
export async function runOnNode(ssh: NodeShell, what: string | Sentence, command: string, options: RunOptions = {}): Promise<RunResult> {
  const named = asSentence(what);
  const stderr = tail(STDERR_KEPT);
  const chunks: Buffer[] = [];
  let stdoutBytes = 0;
  let overflow = false;
  const { onStdout, signal } = options;
  // A command without input of its own gets a stdin held open while it runs and ended when it is cancelled.
  const held = options.stdin === undefined ? new PassThrough() : undefined;
  const endHeld = (): void => void held?.end();
  signal?.addEventListener('abort', endHeld, { once: true });
  const result = await ssh
    .exec(held === undefined ? command : `${STOP_WHEN_STDIN_ENDS}\n${command}`, {
      ...(signal === undefined ? {} : { signal }),
      stdin: held ?? options.stdin,
      onStderr: (chunk) => stderr.add(chunk.toString('utf8')),
      onStdout: (chunk) => {
        if (onStdout !== undefined) return onStdout(chunk.toString('utf8'));
        stdoutBytes += chunk.length;
        if (stdoutBytes > STDOUT_LIMIT) overflow = true;
        else chunks.push(chunk);
      },
    })
    .finally(() => {
      signal?.removeEventListener('abort', endHeld);
      // Destroyed, not ended: ending it would end a channel that may be closed already.
      held?.destroy();
    });
  const errorText = stderr.text().trim();
  if (overflow) {
    throw new NodeCommandError(
      'BAD_RESPONSE',
      {
        en: `${named.en} printed more than ${STDOUT_LIMIT} bytes on the node; its answer was not read.`,
        fr: `${named.fr} a affiché plus de ${STDOUT_LIMIT} octets sur le nœud ; sa réponse n’a pas été lue.`,
      },
      named.en,
      result.exitCode,
      errorText,
    );
  }
  const okCodes = options.okExitCodes ?? [0];
  if (result.exitCode === null || !okCodes.includes(result.exitCode)) throw failure(named, result.exitCode, result.signal, errorText, options.hint);
  return { exitCode: result.exitCode, stdout: Buffer.concat(chunks).toString('utf8'), stderr: errorText };
}

function failure(what: Sentence, exitCode: number | null, signal: string | null, stderr: string, hint: Sentence | undefined): NodeCommandError {
  const how: Sentence =
    exitCode === null
      ? { en: `was killed by signal ${signal ?? 'unknown'}`, fr: `a échoué (processus tué par le signal ${signal ?? 'inconnu'})` }
      : { en: `failed (exit ${exitCode})`, fr: `a échoué (code de sortie ${exitCode})` };
  // What the command printed is its own text, the same in every language.
  const said = stderr === '' ? '' : lastLines(stderr);
  const end = said.endsWith('.') ? '' : '.';
  const noSpace = /No space left on device|Disk quota exceeded/i.test(stderr);
  const advice: Sentence = noSpace
    ? {
        en: 'Free space on the node (or choose another storage), then try again.',
        fr: 'Libérez de l’espace sur le nœud (ou choisissez un autre stockage), puis réessayez.',
      }
    : (hint ?? { en: '', fr: '' });
  const message: Sentence = {
    en: `${what.en} ${how.en} on the node${said === '' ? '' : `: ${said}`}${end}${advice.en === '' ? '' : ` ${advice.en}`}`,
    fr: `${what.fr} ${how.fr} sur le nœud${said === '' ? '' : ` : ${said}`}${end}${advice.fr === '' ? '' : ` ${advice.fr}`}`,
  };
  return new NodeCommandError(noSpace ? 'STORAGE_FAILED' : 'SSH_FAILED', message, what.en, exitCode, stderr);
}

/** The last lines of stderr, where tools put their reason, on one line. */
function lastLines(text: string): string {
  return text
    .split(/[\r\n]+/)
    .filter(Boolean)
    .slice(-3)
    .join(' / ')
    .slice(-600);
}
