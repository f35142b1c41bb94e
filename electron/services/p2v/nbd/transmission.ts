import type { Duplex } from 'node:stream';
import { BLOCK_SIZE } from './block-map';
import type { FileExport } from './file-export';
import type { Negotiated } from './handshake';
import {
  MAX_REQUEST_LENGTH,
  NBD_CMD_FLAG_DF,
  NBD_CMD_FLAG_REQ_ONE,
  NBD_REPLY_FLAG_DONE,
  NBD_STATE_HOLE,
  NBD_STATE_ZERO,
  NbdCommand,
  NbdError,
  REQUEST_HEADER_LENGTH,
  blockStatusChunk,
  errorChunk,
  offsetDataChunkStart,
  offsetHoleChunk,
  parseRequest,
  simpleReply,
  type NbdRequest,
} from './protocol';
import { ConnectionEnded, send, type StreamReader } from './stream-io';

/**
 * How far one block-status answer reads ahead: enough for qemu-img to skip a
 * large hole in one step, bounded so one request cannot keep the server busy
 * reading a whole disk (the client asks again from where the answer stopped).
 */
const MAX_STATUS_SCAN = 256 * 1024 * 1024;

/** A run of the answer to a read: zeroes (sent as a hole) or bytes, whose buffer is released once the stream took them. */
type ReadRun = { offset: number; length: number; data?: undefined } | { offset: number; length: number; data: Buffer; release(): void };

/**
 * The transmission phase: one request at a time, its whole answer written
 * (and drained below the stream's high-water mark) before the next request is
 * read, so a client that stops reading stops the server too.
 * Returns on NBD_CMD_DISC; throws ConnectionEnded when the client breaks the protocol.
 */
export async function transmit(stream: Duplex, reader: StreamReader, file: FileExport, negotiated: Negotiated): Promise<void> {
  const fail = (request: NbdRequest, error: number, message: string) =>
    send(stream, negotiated.structuredReplies ? errorChunk(request.cookie, error, message) : simpleReply(request.cookie, error));
  for (;;) {
    const request = parseRequest(await reader.read(REQUEST_HEADER_LENGTH));
    if (request === undefined) throw new ConnectionEnded('the client sent a request without its magic');
    switch (request.type) {
      case NbdCommand.DISC:
        return;
      case NbdCommand.READ: {
        if (request.length > MAX_REQUEST_LENGTH) throw new ConnectionEnded(`the client asked to read ${request.length} bytes at once`);
        const invalid = rangeProblem(request, file.size) ?? ((request.flags & NBD_CMD_FLAG_DF) !== 0 ? 'reads are always fragmented' : undefined);
        if (invalid !== undefined) await fail(request, NbdError.EINVAL, invalid);
        else if (negotiated.structuredReplies) await readStructured(stream, file, request);
        else await readSimple(stream, file, request);
        break;
      }
      case NbdCommand.BLOCK_STATUS: {
        const contextId = negotiated.allocationContextId;
        const invalid = contextId === undefined ? 'no metadata context was negotiated' : rangeProblem(request, file.size);
        if (invalid !== undefined || contextId === undefined) await fail(request, NbdError.EINVAL, invalid ?? '');
        else await blockStatus(stream, file, request, contextId);
        break;
      }
      case NbdCommand.WRITE:
        // Its payload follows the header: dropped to stay in step with the client, but not a gigabyte of it.
        if (request.length > MAX_REQUEST_LENGTH) throw new ConnectionEnded(`the client sent a write of ${request.length} bytes`);
        await reader.skip(request.length);
        await fail(request, NbdError.EPERM, 'the export is read-only');
        break;
      case NbdCommand.WRITE_ZEROES:
      case NbdCommand.TRIM:
        await fail(request, NbdError.EPERM, 'the export is read-only');
        break;
      default:
        await fail(request, NbdError.EINVAL, `unknown command ${request.type}`);
    }
  }
}

function rangeProblem(request: NbdRequest, size: number): string | undefined {
  if (request.length === 0) return 'empty request';
  if (request.offset + request.length > size) return `the request passes the end of the export (${size} bytes)`;
  return undefined;
}

/** The runs of zeroes and data covering a request, block by block. */
async function* readRuns(file: FileExport, offset: number, length: number): AsyncGenerator<ReadRun> {
  const end = offset + length;
  for (let at = offset; at < end;) {
    const index = Math.floor(at / BLOCK_SIZE);
    const blockStart = index * BLOCK_SIZE;
    const to = Math.min(end, blockStart + BLOCK_SIZE);
    const piece = await file.readPiece(index, at - blockStart, to - blockStart);
    yield piece.zero ? { offset: at, length: to - at } : { offset: at, length: to - at, data: piece.data, release: piece.release };
    at = to;
  }
}

/**
 * Zero runs go out as OFFSET_HOLE chunks (merged while they follow each
 * other), data as OFFSET_DATA chunks of at most one block; each run is held
 * back until the next is known so the last one carries the DONE flag.
 */
async function readStructured(stream: Duplex, file: FileExport, request: NbdRequest): Promise<void> {
  const emit = async (run: ReadRun, flags: number) => {
    if (run.data === undefined) {
      await send(stream, offsetHoleChunk(request.cookie, flags, run.offset, run.length));
      return;
    }
    await send(stream, offsetDataChunkStart(request.cookie, flags, run.offset, run.length));
    await send(stream, run.data, run.release);
    file.sentBytes += run.length;
  };
  let pending: ReadRun | undefined;
  try {
    for await (const run of readRuns(file, request.offset, request.length)) {
      if (pending !== undefined && pending.data === undefined && run.data === undefined) {
        pending = { offset: pending.offset, length: pending.length + run.length };
        continue;
      }
      if (pending !== undefined) await emit(pending, 0);
      pending = run;
    }
  } catch (error) {
    if (error instanceof ConnectionEnded) throw error;
    await send(stream, errorChunk(request.cookie, NbdError.EIO, `reading the image failed: ${(error as Error).message}`));
    return;
  }
  if (pending !== undefined) await emit(pending, NBD_REPLY_FLAG_DONE);
}

/** Without structured replies the bytes follow a success header: a read error then can only end the connection. */
async function readSimple(stream: Duplex, file: FileExport, request: NbdRequest): Promise<void> {
  let started = false;
  try {
    for await (const run of readRuns(file, request.offset, request.length)) {
      if (!started) await send(stream, simpleReply(request.cookie, 0));
      started = true;
      if (run.data === undefined) await send(stream, Buffer.alloc(run.length));
      else await send(stream, run.data, run.release);
      file.sentBytes += run.length;
    }
  } catch (error) {
    if (error instanceof ConnectionEnded) throw error;
    if (started) throw new ConnectionEnded(`reading the image failed in the middle of a reply: ${(error as Error).message}`);
    await send(stream, simpleReply(request.cookie, NbdError.EIO));
  }
}

/** `base:allocation` of the requested range: zero blocks are HOLE|ZERO, the others data (0). */
async function blockStatus(stream: Duplex, file: FileExport, request: NbdRequest, contextId: number): Promise<void> {
  const onlyOne = (request.flags & NBD_CMD_FLAG_REQ_ONE) !== 0;
  const end = request.offset + Math.min(request.length, MAX_STATUS_SCAN);
  const extents: { length: number; status: number }[] = [];
  try {
    // The whole range is learnt at once, several blocks in parallel (a REQ_ONE answer may use only the first few:
    // the rest is remembered for the next request).
    await file.learnBlocks(Math.floor(request.offset / BLOCK_SIZE), Math.floor((end - 1) / BLOCK_SIZE));
    for (let at = request.offset; at < end;) {
      const index = Math.floor(at / BLOCK_SIZE);
      const to = Math.min(end, (index + 1) * BLOCK_SIZE);
      const status = (await file.isZeroBlock(index)) ? NBD_STATE_HOLE | NBD_STATE_ZERO : 0;
      const last = extents.at(-1);
      if (last?.status === status) last.length += to - at;
      else if (onlyOne && last !== undefined) break;
      else extents.push({ length: to - at, status });
      at = to;
    }
  } catch (error) {
    await send(stream, errorChunk(request.cookie, NbdError.EIO, `reading the image failed: ${(error as Error).message}`));
    return;
  }
  await send(stream, blockStatusChunk(request.cookie, NBD_REPLY_FLAG_DONE, contextId, extents));
}
