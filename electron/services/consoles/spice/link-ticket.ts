import { constants, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';

/**
 * The SPICE link stage (spice-protocol `spice/protocol.h`), seen by the relay between a viewer and QEMU:
 *
 *   viewer → server  SpiceLinkHeader { magic "REDQ", major 2, minor 2, size } + SpiceLinkMess + caps
 *   server → viewer  SpiceLinkHeader + SpiceLinkReply { error, pub_key[162] (X.509 SPKI, RSA 1024), caps }
 *   viewer → server  [SpiceLinkAuthMechanism (u32, SPICE = 1) when both sides have PROTOCOL_AUTH_SELECTION]
 *                    + SpiceLinkEncryptedTicket (128 bytes: RSA-OAEP-SHA1 of password + NUL with pub_key)
 *   server → viewer  link result (u32, 0 = OK), then the channel's messages
 *
 * The viewer never knows the password: the relay replaces its 128-byte block by its own encryption of the real
 * password with the server's key. Every other byte passes unchanged. All integers are little-endian.
 */

const SPICE_MAGIC = Buffer.from('REDQ', 'latin1').readUInt32LE(0);
const VERSION_MAJOR = 2;
const VERSION_MINOR = 2;
const LINK_HEADER_BYTES = 16;
/** connection_id u32, channel_type u8, channel_id u8, num_common_caps u32, num_channel_caps u32, caps_offset u32. */
const LINK_MESS_BYTES = 18;
const PUBKEY_BYTES = 162;
/** error u32, pub_key, num_common_caps u32, num_channel_caps u32, caps_offset u32. */
const LINK_REPLY_BYTES = 4 + PUBKEY_BYTES + 12;
/** Far above any real link (a few capability words); a bigger size is garbage, not a client. */
const MAX_LINK_BYTES = 4096;
const AUTH_MECHANISM_BYTES = 4;
const LINK_RESULT_BYTES = 4;
/** SpiceLinkEncryptedTicket: one RSA block of the 1024-bit key. */
const TICKET_BYTES = 128;
const AUTH_MECHANISM_SPICE = 1;
const COMMON_CAP_PROTOCOL_AUTH_SELECTION = 0;
/** spice-server keeps SPICE_MAX_PASSWORD_LENGTH; a longer password cannot be a SPICE ticket. */
const MAX_PASSWORD_BYTES = 60;

/** SPICE_CHANNEL_MAIN: the channel that starts a session (display 2, inputs 3, cursor 4, playback 5… join it). */
export const SPICE_CHANNEL_MAIN = 1;

/** The viewer's or the server's link bytes are not a SPICE link the relay accepts. */
export class SpiceLinkError extends Error {
  constructor(
    readonly side: 'viewer' | 'server',
    message: string,
  ) {
    super(message);
    this.name = 'SpiceLinkError';
  }
}

/** What the viewer's SpiceLinkMess asked for. */
export interface SpiceLinkRequest {
  connectionId: number;
  channelType: number;
  channelId: number;
  /** Common capability bit PROTOCOL_AUTH_SELECTION. */
  authSelection: boolean;
}

function hasCap(words: number[], bit: number): boolean {
  const word = words[Math.floor(bit / 32)] ?? 0;
  return ((word >>> (bit % 32)) & 1) === 1;
}

/**
 * Reads the common capability words a link message or reply points to, checking that all its capability words
 * (common, then the channel's) lie inside the message.
 */
function readCommonCaps(side: 'viewer' | 'server', body: Buffer, fixedBytes: number, countsAt: number): number[] {
  const numCommon = body.readUInt32LE(countsAt);
  const numChannel = body.readUInt32LE(countsAt + 4);
  const offset = body.readUInt32LE(countsAt + 8);
  const words = numCommon + numChannel;
  if (offset < fixedBytes || words > MAX_LINK_BYTES / 4 || offset + words * 4 > body.length) {
    throw new SpiceLinkError(side, `the link's capabilities (${numCommon}+${numChannel} words at ${offset}) lie outside its ${body.length} bytes`);
  }
  return Array.from({ length: numCommon }, (_, index) => body.readUInt32LE(offset + index * 4));
}

/** Checks a SpiceLinkHeader and answers the size of the body it announces. */
function readHeader(side: 'viewer' | 'server', header: Buffer, minimumBody: number): number {
  if (header.readUInt32LE(0) !== SPICE_MAGIC) throw new SpiceLinkError(side, 'the link does not start with the SPICE magic "REDQ"');
  const major = header.readUInt32LE(4);
  const minor = header.readUInt32LE(8);
  if (major !== VERSION_MAJOR || minor !== VERSION_MINOR) throw new SpiceLinkError(side, `SPICE protocol ${major}.${minor} is not 2.2`);
  const size = header.readUInt32LE(12);
  if (size < minimumBody) throw new SpiceLinkError(side, `the link is truncated: ${size} bytes, at least ${minimumBody} needed`);
  if (size > MAX_LINK_BYTES) throw new SpiceLinkError(side, `the link is oversized: ${size} bytes, at most ${MAX_LINK_BYTES}`);
  return size;
}

/** Bytes arriving in pieces, taken out in whole structures. */
class ByteQueue {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
  }

  get length(): number {
    return this.buffered.length;
  }

  peek(bytes: number): Buffer | undefined {
    return this.buffered.length >= bytes ? this.buffered.subarray(0, bytes) : undefined;
  }

  take(bytes: number): Buffer {
    const taken = this.buffered.subarray(0, bytes);
    this.buffered = this.buffered.subarray(bytes);
    return taken;
  }

  takeAll(): Buffer {
    return this.take(this.buffered.length);
  }
}

type ViewerStage = 'link' | 'await-reply' | 'ticket' | 'done';

/** What to send on after one piece of input: either side may get bytes (the server's reply can release the viewer's ticket). */
export interface LinkStep {
  toServer: Buffer;
  toViewer: Buffer;
}

const nothing: Buffer = Buffer.alloc(0);

/**
 * The link-stage rewriter of one SPICE channel: feed it what each side sends, forward what it returns. Once `done`,
 * it returns every byte as given and the caller may pump the two sides directly. Throws SpiceLinkError for a link it
 * does not accept.
 */
export class SpiceLinkTicket {
  private readonly viewerBytes = new ByteQueue();
  private readonly serverBytes = new ByteQueue();
  private viewerStage: ViewerStage = 'link';
  private serverKey: KeyObject | undefined;
  private serverAuthSelection = false;
  private replied = false;
  /** The server's SpiceLinkReply error, or its link result (u32) after the ticket; 0 is OK. */
  private result: number | undefined;
  private viewerRequest: SpiceLinkRequest | undefined;

  constructor(private readonly password: string) {
    if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new SpiceLinkError('server', 'the SPICE password is longer than a SPICE ticket can be');
  }

  /** The viewer's link message, once read. */
  get request(): SpiceLinkRequest | undefined {
    return this.viewerRequest;
  }

  /** The link stage is over (the server said whether it accepted the ticket): what follows goes through unchanged. */
  get done(): boolean {
    return this.viewerStage === 'done' && this.result !== undefined;
  }

  /** 0 when the server accepted the link and the ticket; SPICE_LINK_ERR_* (7: permission denied) when it refused. */
  get linkResult(): number | undefined {
    return this.result;
  }

  fromViewer(chunk: Buffer): LinkStep {
    if (this.viewerStage === 'done') return { toServer: chunk, toViewer: nothing };
    this.viewerBytes.push(chunk);
    return { toServer: this.advanceViewer(), toViewer: nothing };
  }

  fromServer(chunk: Buffer): LinkStep {
    if (this.result !== undefined) return { toServer: nothing, toViewer: chunk };
    if (this.viewerStage === 'link') throw new SpiceLinkError('server', 'the server spoke before the viewer sent its link');
    this.serverBytes.push(chunk);
    return this.replied ? { toServer: nothing, toViewer: this.readLinkResult() } : this.readReply();
  }

  /** The u32 link result that answers the ticket; what follows it is the channel's first messages. */
  private readLinkResult(): Buffer {
    const result = this.serverBytes.peek(LINK_RESULT_BYTES);
    if (result === undefined) return nothing;
    if (this.viewerStage !== 'done') throw new SpiceLinkError('server', 'the server answered a ticket the viewer has not sent');
    this.result = result.readUInt32LE(0);
    return this.serverBytes.takeAll();
  }

  private readReply(): LinkStep {
    const header = this.serverBytes.peek(LINK_HEADER_BYTES);
    if (header === undefined) return { toServer: nothing, toViewer: nothing };
    const size = readHeader('server', header, LINK_REPLY_BYTES);
    if (this.serverBytes.length < LINK_HEADER_BYTES + size) return { toServer: nothing, toViewer: nothing };
    const reply = this.serverBytes.take(LINK_HEADER_BYTES + size);
    const body = reply.subarray(LINK_HEADER_BYTES);
    this.replied = true;
    let toServer: Buffer;
    if (body.readUInt32LE(0) !== 0) {
      // The server refused the link (unknown channel, no permission): the viewer hears it and no ticket follows.
      this.viewerStage = 'done';
      this.result = body.readUInt32LE(0);
      toServer = this.viewerBytes.takeAll();
    } else {
      const commonCaps = readCommonCaps('server', body, LINK_REPLY_BYTES, 4 + PUBKEY_BYTES);
      this.serverAuthSelection = hasCap(commonCaps, COMMON_CAP_PROTOCOL_AUTH_SELECTION);
      this.serverKey = rsaKeyOf(body.subarray(4, 4 + PUBKEY_BYTES));
      this.viewerStage = 'ticket';
      toServer = this.advanceViewer();
    }
    const rest = this.result === undefined ? this.readLinkResult() : this.serverBytes.takeAll();
    return { toServer, toViewer: Buffer.concat([reply, rest]) };
  }

  /** Moves the viewer's side as far as its bytes allow; answers what to send to the server. */
  private advanceViewer(): Buffer {
    const out: Buffer[] = [];
    if (this.viewerStage === 'link') {
      const link = this.readViewerLink();
      if (link === undefined) return nothing;
      out.push(link);
      this.viewerStage = 'await-reply';
    }
    if (this.viewerStage === 'ticket') {
      const ticket = this.readViewerTicket();
      if (ticket !== undefined) {
        out.push(ticket, this.viewerBytes.takeAll());
        this.viewerStage = 'done';
      }
    }
    return Buffer.concat(out);
  }

  private readViewerLink(): Buffer | undefined {
    const header = this.viewerBytes.peek(LINK_HEADER_BYTES);
    if (header === undefined) return undefined;
    const size = readHeader('viewer', header, LINK_MESS_BYTES);
    if (this.viewerBytes.length < LINK_HEADER_BYTES + size) return undefined;
    const link = this.viewerBytes.take(LINK_HEADER_BYTES + size);
    const body = link.subarray(LINK_HEADER_BYTES);
    const commonCaps = readCommonCaps('viewer', body, LINK_MESS_BYTES, 6);
    this.viewerRequest = {
      connectionId: body.readUInt32LE(0),
      channelType: body.readUInt8(4),
      channelId: body.readUInt8(5),
      authSelection: hasCap(commonCaps, COMMON_CAP_PROTOCOL_AUTH_SELECTION),
    };
    return link;
  }

  /** The auth mechanism (when both sides select it) and the ticket block, the block replaced; undefined until all of it arrived. */
  private readViewerTicket(): Buffer | undefined {
    const withMechanism = this.viewerRequest?.authSelection === true && this.serverAuthSelection;
    const mechanismBytes = withMechanism ? AUTH_MECHANISM_BYTES : 0;
    const mechanism = withMechanism ? this.viewerBytes.peek(AUTH_MECHANISM_BYTES)?.readUInt32LE(0) : AUTH_MECHANISM_SPICE;
    if (mechanism !== undefined && mechanism !== AUTH_MECHANISM_SPICE) {
      throw new SpiceLinkError('viewer', `auth mechanism ${mechanism} is not SPICE ticketing (1)`);
    }
    const auth = this.viewerBytes.peek(mechanismBytes + TICKET_BYTES);
    if (auth === undefined || this.serverKey === undefined) return undefined;
    const mechanismField = Buffer.from(auth.subarray(0, mechanismBytes));
    this.viewerBytes.take(mechanismBytes + TICKET_BYTES);
    const encrypted = publicEncrypt(
      { key: this.serverKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.concat([Buffer.from(this.password, 'utf8'), Buffer.from([0])]),
    );
    return Buffer.concat([mechanismField, encrypted]);
  }
}

function rsaKeyOf(spki: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new SpiceLinkError('server', 'the link reply carries no readable public key');
  }
  if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== TICKET_BYTES * 8) {
    throw new SpiceLinkError('server', 'the link reply key is not a 1024-bit RSA key');
  }
  return key;
}
