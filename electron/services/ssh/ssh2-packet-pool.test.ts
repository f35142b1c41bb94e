import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// patches/ssh2+1.17.0.patch: ssh2's in-place ciphers take a packet's memory from a pool and get it back when the
// socket's write callback runs. These tests drive ssh2's own cipher objects; ssh-session.test.ts proves the bytes
// reach a real sshd intact.

interface Ssh2Cipher {
  allocPacket(payloadLength: number): Buffer;
  encrypt(packet: Buffer): void;
}
type Written = (() => void) | undefined;
interface Ssh2Crypto {
  bindingAvailable: boolean;
  CIPHER_INFO: Record<string, { keyLen: number; ivLen: number }>;
  MAC_INFO: Record<string, { len: number }>;
  createCipher(config: { outbound: Record<string, unknown> }): Ssh2Cipher;
}

const ssh2Crypto = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as Ssh2Crypto;
/** A full channel-data packet's payload: 32 KiB of data and its 9-byte header. */
const bulkPayload = 32 * 1024 + 9;

function cipherWith(name: string, mac?: string): { cipher: Ssh2Cipher; writes: { packet: Buffer; written: Written }[] } {
  const writes: { packet: Buffer; written: Written }[] = [];
  const info = ssh2Crypto.CIPHER_INFO[name];
  if (info === undefined) throw new Error(`ssh2 has no cipher ${name}`);
  const macInfo = mac === undefined ? undefined : ssh2Crypto.MAC_INFO[mac];
  const cipher = ssh2Crypto.createCipher({
    outbound: {
      onWrite: (packet: Buffer, written: Written) => writes.push({ packet, written }),
      cipherInfo: info,
      cipherKey: randomBytes(info.keyLen),
      cipherIV: randomBytes(info.ivLen),
      seqno: 0,
      ...(macInfo === undefined ? {} : { macInfo, macKey: randomBytes(macInfo.len) }),
    },
  });
  return { cipher, writes };
}

function send(cipher: Ssh2Cipher, payloadLength: number): Buffer {
  const packet = cipher.allocPacket(payloadLength);
  cipher.encrypt(packet);
  return packet;
}

describe('ssh2 packet memory pool (patched ssh2)', () => {
  it('runs with ssh2 native binding, whose ciphers the patch changes', () => {
    expect(ssh2Crypto.bindingAvailable).toBe(true);
  });

  for (const [name, mac] of [['aes128-gcm@openssh.com'], ['chacha20-poly1305@openssh.com'], ['aes256-ctr', 'hmac-sha2-256']] as const) {
    it(`${name}: a packet's memory comes back only once the socket has written it`, () => {
      const { cipher, writes } = cipherWith(name, mac);
      const first = send(cipher, bulkPayload);
      const second = send(cipher, bulkPayload);
      // The first is still in the socket's queue: the second must not share its memory.
      expect(second.buffer).not.toBe(first.buffer);
      const firstWritten = writes[0]?.written;
      expect(firstWritten).toBeTypeOf('function');
      firstWritten?.();
      firstWritten?.();
      // Written (twice, by mistake: it counts once): the next packet reuses that memory, and only the next.
      expect(send(cipher, bulkPayload).buffer).toBe(first.buffer);
      expect(send(cipher, bulkPayload).buffer).not.toBe(first.buffer);
    });
  }

  it('leaves small packets to Node and never hands out memory twice', () => {
    const { cipher, writes } = cipherWith('aes128-gcm@openssh.com');
    send(cipher, 100);
    expect(writes[0]?.written).toBeUndefined();
    const held = Array.from({ length: 70 }, () => send(cipher, bulkPayload));
    expect(new Set(held.map((packet) => packet.buffer)).size).toBe(held.length);
  });
});
