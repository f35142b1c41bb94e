/**
 * The NBD wire format (github.com/NetworkBlockDevice/nbd, doc/proto.md): the
 * constants this server speaks and the encoders of what it sends. Everything
 * is big-endian. Only the subset a read-only export needs: fixed newstyle
 * handshake, structured replies and the `base:allocation` metadata context.
 */

export const NBD_MAGIC = 0x4e42444d41474943n; // "NBDMAGIC"
export const IHAVEOPT = 0x49484156454f5054n; // "IHAVEOPT"
export const OPTION_REPLY_MAGIC = 0x3e889045565a9n;
export const REQUEST_MAGIC = 0x25609513;
export const SIMPLE_REPLY_MAGIC = 0x67446698;
export const STRUCTURED_REPLY_MAGIC = 0x668e33ef;

/** Handshake flags the server sends, and the client flags it accepts back. */
export const NBD_FLAG_FIXED_NEWSTYLE = 1 << 0;
export const NBD_FLAG_NO_ZEROES = 1 << 1;
export const NBD_FLAG_C_FIXED_NEWSTYLE = 1 << 0;
export const NBD_FLAG_C_NO_ZEROES = 1 << 1;

export const NbdOption = {
  EXPORT_NAME: 1,
  ABORT: 2,
  LIST: 3,
  INFO: 6,
  GO: 7,
  STRUCTURED_REPLY: 8,
  LIST_META_CONTEXT: 9,
  SET_META_CONTEXT: 10,
} as const;

export const NbdReply = {
  ACK: 1,
  SERVER: 2,
  INFO: 3,
  META_CONTEXT: 4,
  ERR_UNSUP: 2 ** 31 + 1,
  ERR_POLICY: 2 ** 31 + 2,
  ERR_INVALID: 2 ** 31 + 3,
  ERR_UNKNOWN: 2 ** 31 + 6,
} as const;

export const NbdInfo = { EXPORT: 0, NAME: 1, DESCRIPTION: 2, BLOCK_SIZE: 3 } as const;

/** Transmission flags of the export. */
export const NBD_FLAG_HAS_FLAGS = 1 << 0;
export const NBD_FLAG_READ_ONLY = 1 << 1;
/** Read-only, so several connections of one client see the same bytes. */
export const NBD_FLAG_CAN_MULTI_CONN = 1 << 8;

export const NbdCommand = {
  READ: 0,
  WRITE: 1,
  DISC: 2,
  FLUSH: 3,
  TRIM: 4,
  CACHE: 5,
  WRITE_ZEROES: 6,
  BLOCK_STATUS: 7,
} as const;

export const NBD_CMD_FLAG_DF = 1 << 2;
export const NBD_CMD_FLAG_REQ_ONE = 1 << 3;

export const NBD_REPLY_FLAG_DONE = 1 << 0;
export const NbdChunk = { NONE: 0, OFFSET_DATA: 1, OFFSET_HOLE: 2, BLOCK_STATUS: 5, ERROR: 2 ** 15 + 1 } as const;

/** errno values as the protocol numbers them (Linux's). */
export const NbdError = { EPERM: 1, EIO: 5, EINVAL: 22 } as const;

/** `base:allocation` status bits: a hole that reads as zeroes is both. */
export const NBD_STATE_HOLE = 1 << 0;
export const NBD_STATE_ZERO = 1 << 1;
export const BASE_ALLOCATION = 'base:allocation';

/** The largest string the protocol allows (export names, context names). */
export const MAX_STRING_LENGTH = 4096;
/** Largest option payload read during the handshake; anything longer is hostile. */
export const MAX_OPTION_LENGTH = 16 * 1024;
/** The largest read or write a client may ask for (advertised as the maximum block size; qemu's own limit). */
export const MAX_REQUEST_LENGTH = 32 * 1024 * 1024;
export const PREFERRED_BLOCK_SIZE = 4096;

export const REQUEST_HEADER_LENGTH = 28;

export interface NbdRequest {
  flags: number;
  type: number;
  cookie: Buffer;
  offset: number;
  length: number;
}

/** A request header; undefined when its magic is wrong or its offset is beyond what a JS number holds exactly. */
export function parseRequest(header: Buffer): NbdRequest | undefined {
  if (header.readUInt32BE(0) !== REQUEST_MAGIC) return undefined;
  const offset = header.readBigUInt64BE(16);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return {
    flags: header.readUInt16BE(4),
    type: header.readUInt16BE(6),
    cookie: Buffer.from(header.subarray(8, 16)),
    offset: Number(offset),
    length: header.readUInt32BE(24),
  };
}

export function serverGreeting(): Buffer {
  const greeting = Buffer.alloc(18);
  greeting.writeBigUInt64BE(NBD_MAGIC, 0);
  greeting.writeBigUInt64BE(IHAVEOPT, 8);
  greeting.writeUInt16BE(NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES, 16);
  return greeting;
}

export function optionReply(option: number, type: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(20);
  header.writeBigUInt64BE(OPTION_REPLY_MAGIC, 0);
  header.writeUInt32BE(option, 8);
  header.writeUInt32BE(type, 12);
  header.writeUInt32BE(data.length, 16);
  return Buffer.concat([header, data]);
}

/** Size and transmission flags: the body of NBD_INFO_EXPORT and of the NBD_OPT_EXPORT_NAME answer. */
export function exportSizeAndFlags(size: number, flags: number): Buffer {
  const body = Buffer.alloc(10);
  body.writeBigUInt64BE(BigInt(size), 0);
  body.writeUInt16BE(flags, 8);
  return body;
}

export function infoExport(size: number, flags: number): Buffer {
  const info = Buffer.alloc(2);
  info.writeUInt16BE(NbdInfo.EXPORT, 0);
  return Buffer.concat([info, exportSizeAndFlags(size, flags)]);
}

export function infoBlockSize(): Buffer {
  const info = Buffer.alloc(14);
  info.writeUInt16BE(NbdInfo.BLOCK_SIZE, 0);
  info.writeUInt32BE(1, 2);
  info.writeUInt32BE(PREFERRED_BLOCK_SIZE, 6);
  info.writeUInt32BE(MAX_REQUEST_LENGTH, 10);
  return info;
}

export function metaContextReply(id: number, name: string): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(id, 0);
  return Buffer.concat([body, Buffer.from(name, 'utf8')]);
}

export function simpleReply(cookie: Buffer, error: number): Buffer {
  const reply = Buffer.alloc(16);
  reply.writeUInt32BE(SIMPLE_REPLY_MAGIC, 0);
  reply.writeUInt32BE(error, 4);
  cookie.copy(reply, 8);
  return reply;
}

/** The 20-byte header of one structured reply chunk; its payload follows. */
export function chunkHeader(cookie: Buffer, type: number, flags: number, payloadLength: number): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt32BE(STRUCTURED_REPLY_MAGIC, 0);
  header.writeUInt16BE(flags, 4);
  header.writeUInt16BE(type, 6);
  cookie.copy(header, 8);
  header.writeUInt32BE(payloadLength, 16);
  return header;
}

/** Header + offset of an OFFSET_DATA chunk; the `dataLength` bytes of data follow it on the wire. */
export function offsetDataChunkStart(cookie: Buffer, flags: number, offset: number, dataLength: number): Buffer {
  const start = Buffer.alloc(28);
  chunkHeader(cookie, NbdChunk.OFFSET_DATA, flags, 8 + dataLength).copy(start, 0);
  start.writeBigUInt64BE(BigInt(offset), 20);
  return start;
}

export function offsetHoleChunk(cookie: Buffer, flags: number, offset: number, length: number): Buffer {
  const chunk = Buffer.alloc(32);
  chunkHeader(cookie, NbdChunk.OFFSET_HOLE, flags, 12).copy(chunk, 0);
  chunk.writeBigUInt64BE(BigInt(offset), 20);
  chunk.writeUInt32BE(length, 28);
  return chunk;
}

export function blockStatusChunk(cookie: Buffer, flags: number, contextId: number, extents: { length: number; status: number }[]): Buffer {
  const chunk = Buffer.alloc(24 + 8 * extents.length);
  chunkHeader(cookie, NbdChunk.BLOCK_STATUS, flags, 4 + 8 * extents.length).copy(chunk, 0);
  chunk.writeUInt32BE(contextId, 20);
  extents.forEach((extent, index) => {
    chunk.writeUInt32BE(extent.length, 24 + 8 * index);
    chunk.writeUInt32BE(extent.status, 28 + 8 * index);
  });
  return chunk;
}

export function errorChunk(cookie: Buffer, error: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const body = Buffer.alloc(6);
  body.writeUInt32BE(error, 0);
  body.writeUInt16BE(text.length, 4);
  return Buffer.concat([chunkHeader(cookie, NbdChunk.ERROR, NBD_REPLY_FLAG_DONE, 6 + text.length), body, text]);
}
