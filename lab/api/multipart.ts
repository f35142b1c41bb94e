import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors';

export interface UploadedFile {
  filename: string;
  path: string;
  size: number;
  /** Hex digests of the streamed bytes by algorithm, computed on the way to disk. */
  digests: Record<string, string>;
}

const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

/**
 * Streams a multipart/form-data body: text fields are collected, the one
 * file part goes straight to `tempPath` (never whole in memory), hashed on
 * the way so the checksum can be verified whichever order the fields came in.
 */
export async function receiveMultipart(request: IncomingMessage, tempPath: string): Promise<{ fields: Record<string, string>; file?: UploadedFile }> {
  const type = request.headers['content-type'] ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!type.startsWith('multipart/form-data') || !boundary) throw new ApiError(400, 'Parameter verification failed.', { body: 'expected multipart/form-data' });
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  let out: WriteStream | undefined;
  let hashes: Hash[] = [];
  // Prepend CRLF so the first boundary looks like every other delimiter.
  let buffer: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  let part: { name: string; filename?: string; chunks: Buffer[] } | undefined;

  const write = async (data: Buffer): Promise<void> => {
    if (data.length === 0 || !part) return;
    if (part.filename !== undefined && out && file) {
      file.size += data.length;
      for (const h of hashes) h.update(data);
      if (!out.write(data)) await once(out, 'drain');
    } else {
      part.chunks.push(data);
    }
  };

  const finishPart = async (): Promise<void> => {
    if (!part) return;
    if (part.filename !== undefined && out && file) {
      out.end();
      await once(out, 'finish');
      file.digests = Object.fromEntries(hashes.map((h, i) => [ALGORITHMS[i] ?? '', h.digest('hex')]));
      out = undefined;
    } else {
      fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
    }
    part = undefined;
  };

  for await (const chunk of request as AsyncIterable<Buffer>) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      if (state === 'preamble' || state === 'body') {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          // Keep a tail that may hold the start of a delimiter split across chunks.
          const keep = Math.min(buffer.length, delimiter.length + 4);
          if (state === 'body') await write(buffer.subarray(0, buffer.length - keep));
          buffer = buffer.subarray(buffer.length - keep);
          break;
        }
        if (buffer.length < at + delimiter.length + 2) break;
        if (state === 'body') {
          await write(buffer.subarray(0, at));
          await finishPart();
        }
        const after = buffer.subarray(at + delimiter.length, at + delimiter.length + 2).toString();
        buffer = buffer.subarray(at + delimiter.length + 2);
        state = after === '--' ? 'done' : 'headers';
        if (state === 'done') break;
      } else if (state === 'headers') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const headers = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 4);
        const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
        const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
        part = filename !== undefined ? { name, filename, chunks: [] } : { name, chunks: [] };
        if (filename !== undefined) {
          if (file) throw new ApiError(400, 'Parameter verification failed.', { filename: 'only one file per upload' });
          file = { filename, path: tempPath, size: 0, digests: {} };
          out = createWriteStream(tempPath, { mode: 0o600 });
          hashes = ALGORITHMS.map((a) => createHash(a));
        }
        state = 'body';
      } else break;
    }
    if (state === 'done') break;
  }
  if (state !== 'done') {
    out?.destroy();
    throw new ApiError(400, 'Parameter verification failed.', { body: 'incomplete multipart body' });
  }
  return file ? { fields, file } : { fields };
}
