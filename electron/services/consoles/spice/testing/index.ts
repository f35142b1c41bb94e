/**
 * SPICE link structures built byte for byte from spice-protocol's `spice/protocol.h` (little-endian, packed), for the
 * tests of the link stage and of the relay: what spice-html5 and QEMU's SPICE server put on the wire.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

function u32(...values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => bytes.writeUInt32LE(value >>> 0, index * 4));
  return bytes;
}

/** SpiceLinkHeader: magic "REDQ", major 2, minor 2, size of what follows. */
function linkHeader(size: number): Buffer {
  return Buffer.concat([Buffer.from('REDQ', 'latin1'), u32(2, 2, size)]);
}

/** SpiceLinkHeader + SpiceLinkMess + its capability words, as a viewer opens a channel. */
export function spiceLink(options: { connectionId?: number; channelType: number; channelId?: number; commonCaps: number[]; channelCaps: number[] }): Buffer {
  const mess = Buffer.concat([
    u32(options.connectionId ?? 0),
    Buffer.from([options.channelType, options.channelId ?? 0]),
    // num_common_caps, num_channel_caps, caps_offset (right after the 18-byte SpiceLinkMess).
    u32(options.commonCaps.length, options.channelCaps.length, 18),
    u32(...options.commonCaps, ...options.channelCaps),
  ]);
  return Buffer.concat([linkHeader(mess.length), mess]);
}

/** SpiceLinkHeader + SpiceLinkReply (error, 162-byte public key, caps) + its capability words, as the server answers. */
export function spiceLinkReply(options: { error?: number; publicKey: Buffer; commonCaps: number[]; channelCaps: number[] }): Buffer {
  if (options.publicKey.length !== 162) throw new Error(`a SpiceLinkReply key has 162 bytes, not ${options.publicKey.length}`);
  const reply = Buffer.concat([
    u32(options.error ?? 0),
    options.publicKey,
    u32(options.commonCaps.length, options.channelCaps.length, 4 + 162 + 12),
    u32(...options.commonCaps, ...options.channelCaps),
  ]);
  return Buffer.concat([linkHeader(reply.length), reply]);
}

/** SpiceLinkAuthMechanism + SpiceLinkEncryptedTicket (the block as given; a viewer without the password sends filler). */
export function spiceTicket(mechanism: number, block: Buffer): Buffer {
  return Buffer.concat([u32(mechanism), block]);
}

let keys: { privateKey: KeyObject; spki: Buffer } | undefined;

/** One 1024-bit RSA key pair per test process, as QEMU's SPICE server makes one per link; `spki` is its 162-byte DER. */
export function testKeys(): { privateKey: KeyObject; spki: Buffer } {
  if (keys === undefined) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
    keys = { privateKey: pair.privateKey, spki: pair.publicKey.export({ type: 'spki', format: 'der' }) };
  }
  return keys;
}
