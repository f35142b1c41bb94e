import { IpcError } from '../../../../shared/ipc/errors';
import { asSentence, type Sentence } from '../../../../shared/text/sentence';
import type { SshSession } from '../../ssh';

/** What the source operations need of an SSH session: running one command. */
export type SourceShell = Pick<SshSession, 'exec'>;

/** A probe's answers are small text files and listings; anything longer is not what was asked for. */
const STDOUT_LIMIT = 8 * 1024 * 1024;
const STDERR_KEPT = 2 * 1024;

export interface CommandAnswer {
  exitCode: number | null;
  stdout: string;
  /** The end of stderr. */
  stderr: string;
}

/** Runs a command (on the source, or on the node) and hands back what it printed, whatever its exit code. */
export async function readCommand(ssh: SourceShell, command: string, options: { signal?: AbortSignal; stdin?: string } = {}): Promise<CommandAnswer> {
  const chunks: Buffer[] = [];
  let length = 0;
  let stderr = '';
  const result = await ssh.exec(command, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    onStdout: (chunk) => {
      length += chunk.length;
      if (length <= STDOUT_LIMIT) chunks.push(chunk);
    },
    onStderr: (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT)),
  });
  return { exitCode: result.exitCode, stdout: Buffer.concat(chunks).toString('utf8'), stderr: stderr.trim() };
}

/**
 * Like readCommand, but a non-zero exit is an error naming `what` (a command, or words in every language), the end
 * of stderr and `hint` (what to do).
 */
export async function runOnSource(
  ssh: SourceShell,
  what: string | Sentence,
  command: string,
  options: { signal?: AbortSignal; stdin?: string; hint?: Sentence } = {},
): Promise<CommandAnswer> {
  const answer = await readCommand(ssh, command, options);
  if (answer.exitCode === 0) return answer;
  const named = asSentence(what);
  const how: Sentence =
    answer.exitCode === null
      ? { en: 'was killed', fr: 'a échoué (processus tué)' }
      : { en: `failed (exit ${answer.exitCode})`, fr: `a échoué (code de sortie ${answer.exitCode})` };
  // What the command printed is its own text, the same in every language.
  const said = answer.stderr
    .split(/[\r\n]+/)
    .slice(-3)
    .join(' / ');
  const { hint } = options;
  throw new IpcError('SSH_FAILED', {
    en: `${named.en} ${how.en} on the source server${answer.stderr === '' ? '' : `: ${said}`}.${hint === undefined ? '' : ` ${hint.en}`}`,
    fr: `${named.fr} ${how.fr} sur le serveur source${answer.stderr === '' ? '' : ` : ${said}`}.${hint === undefined ? '' : ` ${hint.fr}`}`,
  });
}
