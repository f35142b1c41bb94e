import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import {
  BASE_ALLOCATION,
  IHAVEOPT,
  MAX_OPTION_LENGTH,
  MAX_STRING_LENGTH,
  NBD_FLAG_C_FIXED_NEWSTYLE,
  NBD_FLAG_C_NO_ZEROES,
  NbdInfo,
  NbdOption,
  NbdReply,
  exportSizeAndFlags,
  infoBlockSize,
  infoExport,
  metaContextReply,
  optionReply,
  serverGreeting,
} from './protocol';
import { ConnectionEnded, send, type StreamReader } from './stream-io';

/** What the client chose during the handshake, for the transmission phase. */
export interface Negotiated {
  structuredReplies: boolean;
  /** The id `base:allocation` was given by NBD_OPT_SET_META_CONTEXT; absent: no block status. */
  allocationContextId?: number;
}

export interface ExportDescription {
  /** The only name served: a random token, so it is a secret too (never listed, compared in constant time). */
  name: string;
  size: number;
  transmissionFlags: number;
}

/** A well-behaved client needs a handful of options; a client that keeps haggling is cut off. */
const MAX_OPTIONS = 64;
const ALLOCATION_CONTEXT_ID = 1;

/** Thrown by an option's parser: answered with NBD_REP_ERR_INVALID, the haggling goes on. */
class InvalidOption extends Error {}

/**
 * The fixed newstyle handshake up to NBD_OPT_GO (or NBD_OPT_EXPORT_NAME).
 * Resolves undefined when the client aborted; throws ConnectionEnded when it
 * broke the protocol or asked for another export by NBD_OPT_EXPORT_NAME.
 */
export async function negotiate(stream: Duplex, reader: StreamReader, described: ExportDescription): Promise<Negotiated | undefined> {
  await send(stream, serverGreeting());
  const clientFlags = (await reader.read(4)).readUInt32BE(0);
  if ((clientFlags & ~(NBD_FLAG_C_FIXED_NEWSTYLE | NBD_FLAG_C_NO_ZEROES)) !== 0) throw new ConnectionEnded('the client sent unknown handshake flags');
  if ((clientFlags & NBD_FLAG_C_FIXED_NEWSTYLE) === 0) throw new ConnectionEnded('the client does not speak the fixed newstyle handshake');
  const noZeroes = (clientFlags & NBD_FLAG_C_NO_ZEROES) !== 0;

  const state: Negotiated = { structuredReplies: false };
  const reply = (option: number, type: number, data?: Buffer) => send(stream, optionReply(option, type, data));
  const refuse = (option: number, type: number, message: string) => reply(option, type, Buffer.from(message, 'utf8'));

  for (let count = 0; count < MAX_OPTIONS; count++) {
    const header = await reader.read(16);
    if (header.readBigUInt64BE(0) !== IHAVEOPT) throw new ConnectionEnded('the client sent an option without its magic');
    const option = header.readUInt32BE(8);
    const length = header.readUInt32BE(12);
    if (length > MAX_OPTION_LENGTH) throw new ConnectionEnded(`the client sent an option of ${length} bytes`);
    const data = await reader.read(length);
    try {
      switch (option) {
        case NbdOption.EXPORT_NAME: {
          // No way to answer "unknown" here: the protocol says to close.
          if (!isExportName(data, described.name)) throw new ConnectionEnded('the client asked for an unknown export');
          const zeroes = noZeroes ? Buffer.alloc(0) : Buffer.alloc(124);
          await send(stream, Buffer.concat([exportSizeAndFlags(described.size, described.transmissionFlags), zeroes]));
          return state;
        }
        case NbdOption.ABORT:
          await reply(option, NbdReply.ACK);
          return undefined;
        case NbdOption.LIST:
          // The export's name is its access token: listing it would hand it out.
          await refuse(option, NbdReply.ERR_POLICY, 'this server does not list its exports');
          break;
        case NbdOption.INFO:
        case NbdOption.GO: {
          const request = parseInfoRequest(data);
          if (!isExportName(request.name, described.name)) {
            await refuse(option, NbdReply.ERR_UNKNOWN, 'no such export');
            break;
          }
          await reply(option, NbdReply.INFO, infoExport(described.size, described.transmissionFlags));
          if (request.infos.includes(NbdInfo.BLOCK_SIZE)) await reply(option, NbdReply.INFO, infoBlockSize());
          await reply(option, NbdReply.ACK);
          if (option === NbdOption.GO) return state;
          break;
        }
        case NbdOption.STRUCTURED_REPLY:
          if (length !== 0) throw new InvalidOption('NBD_OPT_STRUCTURED_REPLY takes no data');
          state.structuredReplies = true;
          await reply(option, NbdReply.ACK);
          break;
        case NbdOption.LIST_META_CONTEXT:
        case NbdOption.SET_META_CONTEXT: {
          if (!state.structuredReplies) throw new InvalidOption('metadata contexts need structured replies first');
          const request = parseMetaContextRequest(data);
          if (!isExportName(request.name, described.name)) {
            await refuse(option, NbdReply.ERR_UNKNOWN, 'no such export');
            break;
          }
          const selecting = option === NbdOption.SET_META_CONTEXT;
          // Listing with no query, or the `base:` namespace, lists everything there is: base:allocation.
          const offered = selecting
            ? request.queries.includes(BASE_ALLOCATION)
            : request.queries.length === 0 || request.queries.some((query) => query === BASE_ALLOCATION || query === 'base:');
          if (selecting) delete state.allocationContextId;
          if (offered) {
            await reply(option, NbdReply.META_CONTEXT, metaContextReply(selecting ? ALLOCATION_CONTEXT_ID : 0, BASE_ALLOCATION));
            if (selecting) state.allocationContextId = ALLOCATION_CONTEXT_ID;
          }
          await reply(option, NbdReply.ACK);
          break;
        }
        default:
          await refuse(option, NbdReply.ERR_UNSUP, 'option not supported');
      }
    } catch (error) {
      if (!(error instanceof InvalidOption)) throw error;
      await refuse(option, NbdReply.ERR_INVALID, error.message);
    }
  }
  throw new ConnectionEnded(`the client sent more than ${MAX_OPTIONS} options`);
}

function isExportName(asked: Buffer, name: string): boolean {
  const expected = Buffer.from(name, 'utf8');
  return asked.length === expected.length && timingSafeEqual(asked, expected);
}

/** Walks an option's payload, every length checked against what is left. */
class PayloadCursor {
  private at = 0;

  constructor(private readonly data: Buffer) {}

  u16(): number {
    this.need(2);
    this.at += 2;
    return this.data.readUInt16BE(this.at - 2);
  }

  u32(): number {
    this.need(4);
    this.at += 4;
    return this.data.readUInt32BE(this.at - 4);
  }

  /** A u32-length-prefixed string of at most the protocol's 4096 bytes. */
  string(): Buffer {
    const length = this.u32();
    if (length > MAX_STRING_LENGTH) throw new InvalidOption('string longer than 4096 bytes');
    this.need(length);
    this.at += length;
    return this.data.subarray(this.at - length, this.at);
  }

  /** A count read from the payload, refused when that many items of `itemBytes` each cannot fit in what is left. */
  count(count: number, itemBytes: number): number {
    if (count * itemBytes > this.data.length - this.at) throw new InvalidOption('option data shorter than its item count');
    return count;
  }

  end(): void {
    if (this.at !== this.data.length) throw new InvalidOption('option data longer than its fields');
  }

  private need(bytes: number): void {
    if (this.at + bytes > this.data.length) throw new InvalidOption('option data shorter than its fields');
  }
}

function parseInfoRequest(data: Buffer): { name: Buffer; infos: number[] } {
  const cursor = new PayloadCursor(data);
  const name = cursor.string();
  const infos = Array.from({ length: cursor.count(cursor.u16(), 2) }, () => cursor.u16());
  cursor.end();
  return { name, infos };
}

function parseMetaContextRequest(data: Buffer): { name: Buffer; queries: string[] } {
  const cursor = new PayloadCursor(data);
  const name = cursor.string();
  const queries = Array.from({ length: cursor.count(cursor.u32(), 4) }, () => cursor.string().toString('utf8'));
  cursor.end();
  return { name, queries };
}
