import { describe, expect, it } from 'vitest';
import { NodeCommandError, runOnNode, type NodeShell } from './node-command';

/** A shell that answers one command with canned output (runOnNode's own logic, without SSH). */
function cannedShell(answer: { stdout?: string; stderr?: string; exitCode: number | null; signal?: string }): NodeShell & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    exec(command, options = {}) {
      commands.push(command);
      if (answer.stdout !== undefined) options.onStdout?.(Buffer.from(answer.stdout));
      if (answer.stderr !== undefined) options.onStderr?.(Buffer.from(answer.stderr));
      return Promise.resolve({ exitCode: answer.exitCode, signal: answer.signal ?? null });
    },
  };
}

describe('runOnNode', () => {
  it('answers stdout and the exit code of a command that succeeded', async () => {
    const shell = cannedShell({ stdout: '{"a":1}', exitCode: 0 });
    await expect(runOnNode(shell, 'qemu-img info', 'qemu-img info x')).resolves.toEqual({ exitCode: 0, stdout: '{"a":1}', stderr: '' });
    // Behind the lines that stop it when its stdin ends (cancel, or a server refusing the cancel's signal).
    expect(shell.commands[0]?.endsWith('\nqemu-img info x')).toBe(true);
  });

  it('takes the exit codes that are answers', async () => {
    const shell = cannedShell({ stdout: 'Content mismatch at offset 0!', exitCode: 1 });
    await expect(runOnNode(shell, 'qemu-img compare', 'c', { okExitCodes: [0, 1] })).resolves.toMatchObject({ exitCode: 1 });
  });

  it('fails with the end of stderr and the hint, keeping stderr bounded', async () => {
    const noise = 'x'.repeat(10_000);
    const shell = cannedShell({ stderr: `${noise}\nqemu-img: Could not open 'y': No such file or directory\n`, exitCode: 1 });
    const error = await runOnNode(shell, 'qemu-img info', 'c', { hint: { en: 'Check the path.', fr: 'Vérifiez le chemin.' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeCommandError);
    const failure = error as NodeCommandError;
    expect(failure.code).toBe('SSH_FAILED');
    expect(failure.exitCode).toBe(1);
    expect(failure.message).toMatch(
      /^qemu-img info failed \(exit 1\) on the node: .*qemu-img: Could not open 'y': No such file or directory\. Check the path\.$/,
    );
    // The French beside it: the same stderr, as the command printed it.
    expect(failure.translations?.fr).toMatch(
      /^qemu-img info a échoué \(code de sortie 1\) sur le nœud : .*qemu-img: Could not open 'y': No such file or directory\. Vérifiez le chemin\.$/,
    );
    expect(failure.stderr.length).toBeLessThanOrEqual(4096);
    expect(failure.message.length).toBeLessThan(800);
  });

  it('says a full disk is a storage problem and what to do', async () => {
    const shell = cannedShell({ stderr: 'qemu-img: error while writing at byte 0: No space left on device\n', exitCode: 1 });
    await expect(runOnNode(shell, 'qemu-img convert', 'c')).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringMatching(/Free space on the node/),
    });
  });

  it('fails for a command killed by a signal', async () => {
    const shell = cannedShell({ exitCode: null, signal: 'KILL' });
    await expect(runOnNode(shell, 'dd', 'c')).rejects.toMatchObject({
      message: 'dd was killed by signal KILL on the node.',
      translations: { fr: 'dd a échoué (processus tué par le signal KILL) sur le nœud.' },
    });
  });
});
