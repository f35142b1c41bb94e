import { IpcError } from '../../../../shared/ipc/errors';
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

/** Like readCommand, but a non-zero exit is an error naming `what`, the end of stderr and `hint` (what to do). */
export async function runOnSource(
  ssh: SourceShell,
  what: string,
  command: string,
  options: { signal?: AbortSignal; stdin?: string; hint?: string } = {},
): Promise<CommandAnswer> {
  const answer = await readCommand(ssh, command, options);
  if (answer.exitCode === 0) return answer;
  const how = answer.exitCode === null ? 'was killed' : `failed (exit ${answer.exitCode})`;
  const said =
    answer.stderr === ''
      ? ''
      : `: ${answer.stderr
          .split(/[\r\n]+/)
          .slice(-3)
          .join(' / ')}`;
  throw new IpcError('SSH_FAILED', `${what} ${how} on the source server${said}.${options.hint === undefined ? '' : ` ${options.hint}`}`);
}
