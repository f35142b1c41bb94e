import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { SshError } from './ssh-error';

/** OpenSSH keys are a few KiB even for RSA 16384; anything larger is not a key. */
export const maxPrivateKeyBytes = 64 * 1024;

/**
 * Reads a private key file the user named, refusing anything but a regular
 * file under the size cap. The file is opened without blocking (a FIFO would
 * wait forever for a writer) and checked on the opened descriptor, so what is
 * checked is what is read. Every refusal gives the same message: the answer
 * must not tell whether a path exists, is a directory, or is not readable.
 */
export async function readPrivateKeyFile(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw unusableKeyFile(path, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > maxPrivateKeyBytes) throw unusableKeyFile(path);
    // Read one byte past the cap: a file that grew since fstat is refused too.
    const buffer = Buffer.alloc(maxPrivateKeyBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxPrivateKeyBytes) throw unusableKeyFile(path);
    }
    return buffer.subarray(0, length);
  } catch (error) {
    throw error instanceof SshError ? error : unusableKeyFile(path, error);
  } finally {
    await handle.close();
  }
}

export function unusableKeyFile(path: string, cause?: unknown): SshError {
  return new SshError(
    'KEY_UNUSABLE',
    {
      en: `The private key file ${path} cannot be used: it must be a readable regular file of at most ${maxPrivateKeyBytes / 1024} KiB holding a private key. Check the path in the SSH settings.`,
      fr: `Le fichier de clé privée ${path} n’est pas utilisable : il doit s’agir d’un fichier ordinaire lisible, de ${maxPrivateKeyBytes / 1024} Kio au plus, contenant une clé privée. Vérifiez le chemin dans les réglages SSH.`,
    },
    cause === undefined ? undefined : { cause },
  );
}
