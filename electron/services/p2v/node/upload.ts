import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { IpcError } from '../../../../shared/ipc/errors';
import { runOnNode, type NodeShell } from './node-command';
import { fileSize } from './node-files';
import { shellCommand } from './shell-quote';

export interface UploadOptions {
  /** Where to start: 0, or the size of the remote file an interrupted upload left (fileSize). */
  fromOffset: number;
  signal?: AbortSignal;
  /** Bytes this call has sent so far (read from the file as the channel takes them). */
  onBytes?: (sent: number) => void;
}

const CHUNK = 1024 * 1024;

/**
 * Streams a workstation file to a file on the node through the SSH channel's
 * stdin (`dd`, back-pressured: the file is read as fast as the channel
 * drains), from `fromOffset` on, for the sources NBD cannot serve (a VMDK
 * descriptor with its extents). The remote file ends up exactly as long as
 * the local one (checked) and is synced before success. Answers the bytes sent.
 */
export async function uploadFile(ssh: NodeShell, localPath: string, remotePath: string, options: UploadOptions): Promise<number> {
  const { size } = await stat(localPath);
  const { fromOffset } = options;
  if (!Number.isSafeInteger(fromOffset) || fromOffset < 0 || fromOffset > size)
    throw new RangeError(`uploadFile: offset ${fromOffset} outside ${localPath} (${size} bytes)`);
  // A read error must stop the remote dd (the abort), then fail the upload with that error.
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
  const input = createReadStream(localPath, { start: fromOffset, highWaterMark: CHUNK });
  let readError: Error | undefined;
  input.once('error', (error) => {
    readError = error;
    stop.abort();
  });
  // Counted as the channel takes the bytes (a 'data' listener on the file would start it flowing before the channel is open).
  let sent = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      options.onBytes?.(sent);
      done(null, chunk);
    },
  });
  input.pipe(counted);
  // Cut first, never extend after: an upload stopped half-way (its channel closed) leaves a shorter file to resume
  // from, never one padded to full length.
  const truncate = shellCommand(['truncate', '-s', fromOffset, '--', remotePath]);
  const dd = shellCommand([
    'dd',
    `of=${remotePath}`,
    'bs=1M',
    'iflag=fullblock',
    'oflag=seek_bytes',
    `seek=${fromOffset}`,
    'conv=notrunc,fsync',
    'status=none',
  ]);
  try {
    await runOnNode(ssh, { en: 'dd (upload)', fr: 'dd (envoi)' }, `${truncate} && ${dd}`, {
      signal,
      stdin: counted,
      hint: {
        en: `Check that the folder of ${remotePath} exists on the node and has room for ${size} bytes.`,
        fr: `Vérifiez que le dossier de ${remotePath} existe sur le nœud et a de la place pour ${size} octets.`,
      },
    });
  } catch (error) {
    if (readError !== undefined) {
      // The system's reason is its own text, the same in every language.
      throw new IpcError('BAD_FILE', {
        en: `Reading ${localPath} failed (${readError.message}): check that the file is still there and readable, then resume.`,
        fr: `La lecture de ${localPath} a échoué (${readError.message}) : vérifiez que le fichier est toujours là et lisible, puis reprenez la migration.`,
      });
    }
    throw error;
  } finally {
    input.destroy();
    counted.destroy();
  }
  const written = await fileSize(ssh, remotePath, options.signal);
  if (written !== size) {
    throw new IpcError('SSH_FAILED', {
      en: `The upload of ${localPath} ended with ${written ?? 0} of its ${size} bytes on the node; resume it.`,
      fr: `L’envoi de ${localPath} s’est terminé avec ${written ?? 0} de ses ${size} octets sur le nœud ; reprenez la migration.`,
    });
  }
  return sent;
}
