/**
 * The NBD server against a raw client over a unix socket: the handshake as
 * qemu drives it, reads as hole and data chunks, block status, and a hostile
 * client (lies in lengths, oversized requests, writes, garbage, a client that
 * stops reading) that must only ever cost its own connection.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startNbdExport, type NbdFileExport } from '.';
import {
  BASE_ALLOCATION,
  IHAVEOPT,
  NBD_FLAG_C_FIXED_NEWSTYLE,
  NBD_FLAG_C_NO_ZEROES,
  NBD_FLAG_READ_ONLY,
  NBD_MAGIC,
  NBD_REPLY_FLAG_DONE,
  NBD_STATE_HOLE,
  NBD_STATE_ZERO,
  NbdChunk,
  NbdCommand,
  NbdError,
  NbdInfo,
  NbdOption,
  NbdReply,
  REQUEST_MAGIC,
  SIMPLE_REPLY_MAGIC,
  STRUCTURED_REPLY_MAGIC,
} from './protocol';

const MiB = 1024 * 1024;
const exportName = randomBytes(16).toString('hex');

/** A test client that speaks the protocol byte by byte, so it can also break it. */
class RawClient {
  private received = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.received = Buffer.concat([this.received, data]);
      this.wake?.();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.wake?.();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
  }

  static async connect(path: string): Promise<RawClient> {
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  write(data: Buffer): void {
    this.socket.write(data);
  }

  async read(length: number): Promise<Buffer> {
    while (this.received.length < length) {
      if (this.ended) throw new Error(`the server closed the connection (${this.received.length} of ${length} bytes received)`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const out = this.received.subarray(0, length);
    this.received = this.received.subarray(length);
    return out;
  }

  /** Reads the greeting and answers with `clientFlags`. */
  async greet(clientFlags = NBD_FLAG_C_FIXED_NEWSTYLE | NBD_FLAG_C_NO_ZEROES): Promise<{ magic: bigint; option: bigint; flags: number }> {
    const greeting = await this.read(18);
    this.write(u32(clientFlags));
    return { magic: greeting.readBigUInt64BE(0), option: greeting.readBigUInt64BE(8), flags: greeting.readUInt16BE(16) };
  }

  sendOption(option: number, data: Buffer = Buffer.alloc(0), declaredLength = data.length): void {
    const header = Buffer.alloc(16);
    header.writeBigUInt64BE(IHAVEOPT, 0);
    header.writeUInt32BE(option, 8);
    header.writeUInt32BE(declaredLength, 12);
    this.write(Buffer.concat([header, data]));
  }

  async optionReply(): Promise<{ option: number; type: number; data: Buffer }> {
    const header = await this.read(20);
    expect(header.readBigUInt64BE(0)).toBe(0x3e889045565a9n);
    return { option: header.readUInt32BE(8), type: header.readUInt32BE(12), data: await this.read(header.readUInt32BE(16)) };
  }

  /** Sends an option and collects its replies up to the final one (ACK or an error). */
  async ask(option: number, data?: Buffer): Promise<{ type: number; data: Buffer }[]> {
    this.sendOption(option, data);
    const replies: { type: number; data: Buffer }[] = [];
    for (;;) {
      const reply = await this.optionReply();
      expect(reply.option).toBe(option);
      replies.push(reply);
      if (reply.type === NbdReply.ACK || reply.type >= 2 ** 31) return replies;
    }
  }

  /** Greeting, structured replies, base:allocation, GO: the way qemu opens an export. */
  async open(name = exportName): Promise<{ size: number; flags: number }> {
    await this.greet();
    expect((await this.ask(NbdOption.STRUCTURED_REPLY)).map((reply) => reply.type)).toEqual([NbdReply.ACK]);
    const contexts = await this.ask(NbdOption.SET_META_CONTEXT, metaContextPayload(name, [BASE_ALLOCATION]));
    expect(contexts.map((reply) => reply.type)).toEqual([NbdReply.META_CONTEXT, NbdReply.ACK]);
    const replies = await this.ask(NbdOption.GO, infoPayload(name, [NbdInfo.BLOCK_SIZE]));
    const exportInfo = replies.find((reply) => reply.type === NbdReply.INFO && reply.data.readUInt16BE(0) === NbdInfo.EXPORT);
    if (exportInfo === undefined) throw new Error(`GO answered ${replies.map((reply) => reply.type).join(', ')}`);
    return { size: Number(exportInfo.data.readBigUInt64BE(2)), flags: exportInfo.data.readUInt16BE(10) };
  }

  request(type: number, offset: number, length: number, options: { flags?: number; cookie?: number; magic?: number } = {}): void {
    const header = Buffer.alloc(28);
    header.writeUInt32BE(options.magic ?? REQUEST_MAGIC, 0);
    header.writeUInt16BE(options.flags ?? 0, 4);
    header.writeUInt16BE(type, 6);
    header.writeBigUInt64BE(BigInt(options.cookie ?? 7), 8);
    header.writeBigUInt64BE(BigInt(offset), 16);
    header.writeUInt32BE(length, 24);
    this.write(header);
  }

  async chunk(): Promise<{ flags: number; type: number; cookie: number; payload: Buffer }> {
    const header = await this.read(20);
    expect(header.readUInt32BE(0)).toBe(STRUCTURED_REPLY_MAGIC);
    return {
      flags: header.readUInt16BE(4),
      type: header.readUInt16BE(6),
      cookie: Number(header.readBigUInt64BE(8)),
      payload: await this.read(header.readUInt32BE(16)),
    };
  }

  /** Every chunk of one reply, up to the one flagged DONE. */
  async reply(): Promise<{ flags: number; type: number; cookie: number; payload: Buffer }[]> {
    const chunks = [];
    for (;;) {
      const chunk = await this.chunk();
      chunks.push(chunk);
      if ((chunk.flags & NBD_REPLY_FLAG_DONE) !== 0) return chunks;
    }
  }

  /** A read's answer put back together: the bytes, and how many came as data. */
  async readReply(offset: number, length: number): Promise<{ bytes: Buffer; dataBytes: number; holes: number }> {
    const bytes = Buffer.alloc(length);
    let dataBytes = 0;
    let holes = 0;
    for (const chunk of await this.reply()) {
      if (chunk.type === NbdChunk.OFFSET_DATA) {
        const at = Number(chunk.payload.readBigUInt64BE(0)) - offset;
        chunk.payload.copy(bytes, at, 8);
        dataBytes += chunk.payload.length - 8;
      } else if (chunk.type === NbdChunk.OFFSET_HOLE) holes++;
      else throw new Error(`unexpected chunk type ${chunk.type}`);
    }
    return { bytes, dataBytes, holes };
  }

  async errorOf(): Promise<number> {
    const [chunk] = await this.reply();
    expect(chunk?.type).toBe(NbdChunk.ERROR);
    return chunk?.payload.readUInt32BE(0) ?? -1;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value, 0);
  return out;
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value, 0);
  return out;
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
}

function infoPayload(name: string, infos: number[]): Buffer {
  return Buffer.concat([lengthPrefixed(name), u16(infos.length), ...infos.map(u16)]);
}

function metaContextPayload(name: string, queries: string[]): Buffer {
  return Buffer.concat([lengthPrefixed(name), u32(queries.length), ...queries.map(lengthPrefixed)]);
}

/** The digest as its definition says, computed here independently from the file's bytes. */
function expectedDigest(content: Buffer, offset: number, length: number): string {
  let lines = '';
  for (let at = offset; at < offset + length; at = (Math.floor(at / MiB) + 1) * MiB) {
    const block = content.subarray(at, Math.min((Math.floor(at / MiB) + 1) * MiB, offset + length));
    if (block.some((byte) => byte !== 0)) lines += `${Math.floor(at / MiB)}:${createHash('sha256').update(block).digest('hex')}\n`;
  }
  return createHash('sha256').update(lines).digest('hex');
}

let dir: string;
let socketPath: string;
let server: Server;
let nbd: NbdFileExport;
/** 5.5 MiB: block 0 data, 1 zero, 2 data in its second half only, 3 zero, 4 data, 5 (short) data. */
const content = Buffer.alloc(5 * MiB + MiB / 2);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pve-desk-nbd-'));
  randomBytes(MiB).copy(content, 0);
  randomBytes(MiB / 2).copy(content, 2 * MiB + MiB / 2);
  randomBytes(MiB).copy(content, 4 * MiB);
  randomBytes(MiB / 2).copy(content, 5 * MiB);
  const path = join(dir, 'disk.raw');
  await writeFile(path, content);
  nbd = await startNbdExport({ path, exportName });
  socketPath = join(dir, 'nbd.sock');
  server = createServer((socket) => nbd.serve(socket));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  await nbd.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** The server still serves a well-behaved client after whatever a test did. */
async function expectServerAlive(): Promise<void> {
  const client = await RawClient.connect(socketPath);
  expect((await client.open()).size).toBe(content.length);
  client.destroy();
}

describe('handshake', () => {
  it('greets in fixed newstyle and opens the export read-only with its size and block sizes', async () => {
    const client = await RawClient.connect(socketPath);
    const greeting = await client.greet();
    expect(greeting).toEqual({ magic: NBD_MAGIC, option: IHAVEOPT, flags: 3 });
    const replies = await client.ask(NbdOption.GO, infoPayload(exportName, [NbdInfo.BLOCK_SIZE]));
    expect(replies.map((reply) => reply.type)).toEqual([NbdReply.INFO, NbdReply.INFO, NbdReply.ACK]);
    const [exportInfo, blockSize] = replies;
    expect(Number(exportInfo?.data.readBigUInt64BE(2))).toBe(content.length);
    expect((exportInfo?.data.readUInt16BE(10) ?? 0) & NBD_FLAG_READ_ONLY).toBe(NBD_FLAG_READ_ONLY);
    expect(blockSize?.data.readUInt16BE(0)).toBe(NbdInfo.BLOCK_SIZE);
    expect([blockSize?.data.readUInt32BE(2), blockSize?.data.readUInt32BE(6), blockSize?.data.readUInt32BE(10)]).toEqual([1, 4096, 32 * MiB]);
    client.destroy();
  });

  it('refuses any other export name, never lists the real one, and keeps haggling', async () => {
    const client = await RawClient.connect(socketPath);
    await client.greet();
    const other = randomBytes(16).toString('hex');
    expect((await client.ask(NbdOption.GO, infoPayload(other, []))).map((reply) => reply.type)).toEqual([NbdReply.ERR_UNKNOWN]);
    expect((await client.ask(NbdOption.INFO, infoPayload('', []))).map((reply) => reply.type)).toEqual([NbdReply.ERR_UNKNOWN]);
    const listed = await client.ask(NbdOption.LIST);
    expect(listed.map((reply) => reply.type)).toEqual([NbdReply.ERR_POLICY]);
    expect(listed[0]?.data.toString()).not.toContain(exportName);
    expect((await client.ask(NbdOption.INFO, infoPayload(exportName, []))).map((reply) => reply.type)).toEqual([NbdReply.INFO, NbdReply.ACK]);
    client.destroy();
  });

  it('closes the connection when NBD_OPT_EXPORT_NAME names another export, and serves the right one', async () => {
    const wrong = await RawClient.connect(socketPath);
    await wrong.greet();
    wrong.sendOption(NbdOption.EXPORT_NAME, Buffer.from('a'.repeat(32)));
    await wrong.closed;

    const right = await RawClient.connect(socketPath);
    await right.greet();
    right.sendOption(NbdOption.EXPORT_NAME, Buffer.from(exportName));
    const answer = await right.read(10);
    expect(Number(answer.readBigUInt64BE(0))).toBe(content.length);
    right.request(NbdCommand.READ, 0, 16);
    const simple = await right.read(16);
    expect(simple.readUInt32BE(0)).toBe(SIMPLE_REPLY_MAGIC);
    expect(simple.readUInt32BE(4)).toBe(0);
    expect(await right.read(16)).toEqual(content.subarray(0, 16));
    right.destroy();
  });

  it('offers base:allocation only after structured replies, and lists it', async () => {
    const client = await RawClient.connect(socketPath);
    await client.greet();
    expect((await client.ask(NbdOption.SET_META_CONTEXT, metaContextPayload(exportName, [BASE_ALLOCATION])))[0]?.type).toBe(NbdReply.ERR_INVALID);
    await client.ask(NbdOption.STRUCTURED_REPLY);
    const listed = await client.ask(NbdOption.LIST_META_CONTEXT, metaContextPayload(exportName, []));
    expect(listed.map((reply) => [reply.type, reply.data.subarray(4).toString()])).toEqual([
      [NbdReply.META_CONTEXT, BASE_ALLOCATION],
      [NbdReply.ACK, ''],
    ]);
    const none = await client.ask(NbdOption.SET_META_CONTEXT, metaContextPayload(exportName, ['qemu:dirty-bitmap:x']));
    expect(none.map((reply) => reply.type)).toEqual([NbdReply.ACK]);
    client.destroy();
  });

  it('answers unknown options NBD_REP_ERR_UNSUP, lying lengths NBD_REP_ERR_INVALID, and NBD_OPT_ABORT with an ACK and a close', async () => {
    const client = await RawClient.connect(socketPath);
    await client.greet();
    expect((await client.ask(5 /* STARTTLS */))[0]?.type).toBe(NbdReply.ERR_UNSUP);
    expect((await client.ask(NbdOption.STRUCTURED_REPLY, Buffer.from('x')))[0]?.type).toBe(NbdReply.ERR_INVALID);
    await client.ask(NbdOption.STRUCTURED_REPLY);
    // Four billion queries announced in a few bytes: refused without trying to hold them.
    const liar = Buffer.concat([lengthPrefixed(exportName), u32(0xffffffff), lengthPrefixed(BASE_ALLOCATION)]);
    expect((await client.ask(NbdOption.SET_META_CONTEXT, liar))[0]?.type).toBe(NbdReply.ERR_INVALID);
    const longName = Buffer.concat([u32(0xfffffff0), Buffer.from(exportName), u16(0)]);
    expect((await client.ask(NbdOption.GO, longName))[0]?.type).toBe(NbdReply.ERR_INVALID);
    expect((await client.ask(NbdOption.GO, Buffer.concat([infoPayload(exportName, []), Buffer.from('trailing')])))[0]?.type).toBe(NbdReply.ERR_INVALID);
    expect((await client.ask(NbdOption.ABORT)).map((reply) => reply.type)).toEqual([NbdReply.ACK]);
    await client.closed;
  });

  it.each([
    ['an option of 1 GiB', (client: RawClient) => client.sendOption(NbdOption.GO, Buffer.alloc(0), 2 ** 30)],
    ['an option without its magic', (client: RawClient) => client.write(Buffer.alloc(16, 0x41))],
    ['an endless stream of options', (client: RawClient) => Array.from({ length: 100 }, () => client.sendOption(NbdOption.LIST))],
  ])('closes the connection on %s and keeps serving others', async (_name, misbehave) => {
    const client = await RawClient.connect(socketPath);
    await client.greet();
    misbehave(client);
    await client.closed;
    await expectServerAlive();
  });

  it('closes the connection on unknown client flags or a client without fixed newstyle', async () => {
    for (const flags of [0xff, 0]) {
      const client = await RawClient.connect(socketPath);
      await client.greet(flags);
      await client.closed;
    }
    await expectServerAlive();
  });

  it('survives a client that leaves in the middle of the handshake', async () => {
    const client = await RawClient.connect(socketPath);
    await client.greet();
    client.write(Buffer.from(IHAVEOPT.toString(16), 'hex').subarray(0, 5));
    client.destroy();
    await expectServerAlive();
  });
});

describe('transmission', () => {
  it('reads data as OFFSET_DATA and zero blocks as OFFSET_HOLE, the last chunk DONE, counting only data', async () => {
    const client = await RawClient.connect(socketPath);
    await client.open();
    const before = nbd.sentBytes;
    client.request(NbdCommand.READ, 0, content.length);
    const whole = await client.readReply(0, content.length);
    expect(whole.bytes.equals(content)).toBe(true);
    // Block 2 is a block of data as a whole (its first half zero bytes travel too); blocks 1 and 3 are holes.
    expect(whole.dataBytes).toBe(3 * MiB + MiB / 2);
    expect(whole.holes).toBe(2);
    expect(nbd.sentBytes - before).toBe(whole.dataBytes);

    // Unaligned, crossing blocks, ending in a short one.
    const offset = MiB - 3;
    client.request(NbdCommand.READ, offset, content.length - offset);
    const piece = await client.readReply(offset, content.length - offset);
    expect(piece.bytes.equals(content.subarray(offset))).toBe(true);
    client.destroy();
  });

  it('answers block status for base:allocation: zero blocks HOLE|ZERO, data 0, one extent with REQ_ONE', async () => {
    const client = await RawClient.connect(socketPath);
    await client.open();
    const zero = NBD_STATE_HOLE | NBD_STATE_ZERO;
    const extents = async (offset: number, length: number, flags = 0) => {
      client.request(NbdCommand.BLOCK_STATUS, offset, length, { flags });
      const [chunk] = await client.reply();
      expect(chunk?.type).toBe(NbdChunk.BLOCK_STATUS);
      const payload = chunk?.payload ?? Buffer.alloc(4);
      return Array.from({ length: (payload.length - 4) / 8 }, (_, index) => [payload.readUInt32BE(4 + 8 * index), payload.readUInt32BE(8 + 8 * index)]);
    };
    expect(await extents(0, content.length)).toEqual([
      [MiB, 0],
      [MiB, zero],
      [MiB, 0],
      [MiB, zero],
      [MiB + MiB / 2, 0],
    ]);
    expect(await extents(MiB + 5, 10, 8)).toEqual([[10, zero]]);
    expect(await extents(MiB, 4 * MiB, 8)).toEqual([[MiB, zero]]);
    client.destroy();
  });

  it('answers block status with EIO when the file shrank under the export, and goes on serving', async () => {
    const path = join(dir, 'shrinking.raw');
    await writeFile(path, content);
    const shrinking = await startNbdExport({ path, exportName });
    const shrinkingPath = join(dir, 'nbd-shrinking.sock');
    const shrinkingServer = createServer((socket) => shrinking.serve(socket));
    await new Promise<void>((resolve) => shrinkingServer.listen(shrinkingPath, resolve));
    onTestFinished(async () => {
      await shrinking.close();
      await new Promise<void>((resolve) => shrinkingServer.close(() => resolve()));
    });
    await truncate(path, 2 * MiB);
    const client = await RawClient.connect(shrinkingPath);
    await client.open();
    // Blocks 2… are read in parallel and one of them fails: one error answer, not a crash or a half answer.
    client.request(NbdCommand.BLOCK_STATUS, 0, content.length);
    expect(await client.errorOf()).toBe(NbdError.EIO);
    client.request(NbdCommand.READ, 0, MiB);
    expect((await client.readReply(0, MiB)).bytes.equals(content.subarray(0, MiB))).toBe(true);
    client.destroy();
  });

  it('refuses writes with EPERM (skipping their payload), unknown commands and bad ranges with EINVAL, and goes on', async () => {
    const client = await RawClient.connect(socketPath);
    await client.open();
    client.request(NbdCommand.WRITE, 0, 4096);
    client.write(Buffer.alloc(4096, 0xee));
    expect(await client.errorOf()).toBe(NbdError.EPERM);
    client.request(NbdCommand.WRITE_ZEROES, 0, 4096);
    expect(await client.errorOf()).toBe(NbdError.EPERM);
    client.request(NbdCommand.TRIM, 0, 4096);
    expect(await client.errorOf()).toBe(NbdError.EPERM);
    client.request(99, 0, 0);
    expect(await client.errorOf()).toBe(NbdError.EINVAL);
    client.request(NbdCommand.READ, content.length - 10, 11);
    expect(await client.errorOf()).toBe(NbdError.EINVAL);
    client.request(NbdCommand.READ, 0, 0);
    expect(await client.errorOf()).toBe(NbdError.EINVAL);
    client.request(NbdCommand.BLOCK_STATUS, 2 ** 52, 1);
    expect(await client.errorOf()).toBe(NbdError.EINVAL);
    client.request(NbdCommand.READ, 0, 8);
    const read = await client.readReply(0, 8);
    expect(read.bytes).toEqual(content.subarray(0, 8));
    client.request(NbdCommand.DISC, 0, 0);
    await client.closed;
  });

  it('refuses block status when no metadata context was chosen', async () => {
    const client = await RawClient.connect(socketPath);
    await client.greet();
    await client.ask(NbdOption.STRUCTURED_REPLY);
    await client.ask(NbdOption.GO, infoPayload(exportName, []));
    client.request(NbdCommand.BLOCK_STATUS, 0, MiB);
    expect(await client.errorOf()).toBe(NbdError.EINVAL);
    client.destroy();
  });

  it.each([
    ['a read of 4 GiB - 1', (client: RawClient) => client.request(NbdCommand.READ, 0, 0xffffffff)],
    ['a write of 1 GiB', (client: RawClient) => client.request(NbdCommand.WRITE, 0, 2 ** 30)],
    ['a request without its magic', (client: RawClient) => client.request(NbdCommand.READ, 0, 512, { magic: 0x12345678 })],
    ['an offset past 2^53', (client: RawClient) => client.request(NbdCommand.READ, 2 ** 60, 512)],
    [
      'half a request',
      (client: RawClient) => {
        client.write(Buffer.alloc(10));
        client.socket.end();
      },
    ],
  ])('closes the connection on %s and keeps serving others', async (_name, misbehave) => {
    const client = await RawClient.connect(socketPath);
    await client.open();
    misbehave(client);
    await client.closed;
    await expectServerAlive();
  });

  it('stops reading requests while a client does not read its answers, then answers them all, each with its own bytes', async () => {
    // A stream that takes several answers before it pushes back, as an SSH channel (2 MiB) does: the server goes on
    // reading blocks while earlier answers still wait in the stream.
    const roomyPath = join(dir, 'nbd-roomy.sock');
    const roomy = createServer({ highWaterMark: 4 * MiB }, (socket) => nbd.serve(socket));
    await new Promise<void>((resolve) => roomy.listen(roomyPath, resolve));
    onTestFinished(() => new Promise<void>((resolve) => roomy.close(() => resolve())));
    const client = await RawClient.connect(roomyPath);
    await client.open();
    client.socket.pause();
    const sentBefore = nbd.sentBytes;
    const requests = 200;
    // Data only, in turn: block 0, block 4, and the second half of block 4 with the short block 5 (two pieces). The
    // answers wait in the stream while later reads reuse the export's buffers.
    const offsets = [0, 4 * MiB, 4 * MiB + MiB / 2];
    const offsetOf = (cookie: number): number => offsets[cookie % offsets.length] ?? 0;
    for (let cookie = 0; cookie < requests; cookie++) client.request(NbdCommand.READ, offsetOf(cookie), MiB, { cookie });
    // Wait until the server is stuck on a full socket: nothing more leaves it, however long it is given.
    let last = -1;
    while (nbd.sentBytes !== last) {
      last = nbd.sentBytes;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // What the server took on is a few answers in socket buffers, far from the 200 MiB asked for.
    expect(nbd.sentBytes - sentBefore).toBeLessThan(20 * MiB);
    client.socket.resume();
    for (let cookie = 0; cookie < requests; cookie++) {
      const offset = offsetOf(cookie);
      const reply = await client.readReply(offset, MiB);
      expect(reply.bytes.equals(content.subarray(offset, offset + MiB))).toBe(true);
    }
    expect(nbd.sentBytes - sentBefore).toBe(requests * MiB);
    client.destroy();
  });
});

describe('rangeDigest', () => {
  it('hashes the non-zero 1 MiB blocks of a range as `index:sha256` lines', async () => {
    expect(await nbd.rangeDigest(0, content.length)).toBe(expectedDigest(content, 0, content.length));
    expect(await nbd.rangeDigest(2 * MiB, 3 * MiB + 100)).toBe(expectedDigest(content, 2 * MiB, 3 * MiB + 100));
    // Block 2 cut after its first (zero) half: nothing left to hash in it.
    expect(await nbd.rangeDigest(MiB, MiB + MiB / 2)).toBe(createHash('sha256').update('').digest('hex'));
    expect(await nbd.rangeDigest(3 * MiB, MiB)).toBe(createHash('sha256').update('').digest('hex'));
    // Off the boundaries at both ends: the first and last blocks are short, still indexed by absolute offset.
    expect(await nbd.rangeDigest(MiB / 2 + 7, 4 * MiB)).toBe(expectedDigest(content, MiB / 2 + 7, 4 * MiB));
  });

  it('refuses a range that passes the end', async () => {
    await expect(nbd.rangeDigest(0, content.length + 1)).rejects.toThrow(/end of the file/);
  });

  it('stops between two blocks once its signal aborts (a copy it ran beside has failed)', async () => {
    const stop = new AbortController();
    const digest = nbd.rangeDigest(0, content.length, stop.signal);
    stop.abort(new Error('the copy failed'));
    await expect(digest).rejects.toThrow('the copy failed');
    await expect(nbd.rangeDigest(0, content.length, AbortSignal.abort())).rejects.toThrow(/abort/i);
  });

  it('reads a block again in a later export once the file changed, though an earlier export found it zero', async () => {
    const path = join(dir, 'changing.raw');
    const changing = Buffer.from(content);
    await writeFile(path, changing);
    const first = await startNbdExport({ path, exportName });
    expect(await first.rangeDigest(0, changing.length)).toBe(expectedDigest(changing, 0, changing.length));
    await first.close();
    randomBytes(MiB).copy(changing, MiB);
    await writeFile(path, changing);
    const second = await startNbdExport({ path, exportName });
    expect(await second.rangeDigest(0, changing.length)).toBe(expectedDigest(changing, 0, changing.length));
    await second.close();
  });
});

describe('close', () => {
  it('cuts the connections in flight and refuses new ones', async () => {
    const path = join(dir, 'small.raw');
    await writeFile(path, randomBytes(4096));
    const small = await startNbdExport({ path, exportName });
    const smallServer = createServer((socket) => small.serve(socket));
    const smallSocket = join(dir, 'small.sock');
    await new Promise<void>((resolve) => smallServer.listen(smallSocket, resolve));
    const client = await RawClient.connect(smallSocket);
    await client.open();
    await small.close();
    await client.closed;
    const late = await RawClient.connect(smallSocket);
    await late.closed;
    await new Promise<void>((resolve) => smallServer.close(() => resolve()));
  });

  it('takes only a random 32-hex export name', async () => {
    await expect(startNbdExport({ path: join(dir, 'disk.raw'), exportName: 'disk' })).rejects.toThrow(/32-hex/);
  });
});
