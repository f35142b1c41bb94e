import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SpiceLinkError, SpiceLinkTicket, type LinkStep } from './link-ticket';
import { spiceLink, spiceLinkReply, spiceTicket, testKeys } from './testing';

const password = 'q9P-real_spice!pw';

function decrypt(block: Buffer, privateKey = testKeys().privateKey): string {
  return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, block).toString('latin1');
}

/** Feeds `bytes` one byte at a time, collecting what goes on, as a slow network would split them. */
function byteByByte(feed: (chunk: Buffer) => LinkStep, bytes: Buffer): LinkStep {
  const toServer: Buffer[] = [];
  const toViewer: Buffer[] = [];
  for (const byte of bytes) {
    const step = feed(Buffer.from([byte]));
    toServer.push(step.toServer);
    toViewer.push(step.toViewer);
  }
  return { toServer: Buffer.concat(toServer), toViewer: Buffer.concat(toViewer) };
}

describe('SPICE link-stage ticket substitution', () => {
  const { spki } = testKeys();

  it('forwards the link and the reply unchanged and replaces only the 128-byte ticket after the SPICE auth mechanism', () => {
    const link = spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [0b100] });
    const reply = spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [0b1111] });
    // The viewer's dummy block, then the first message of the channel in the same frame.
    const dummy = Buffer.alloc(128, 0xab);
    const firstMessage = Buffer.from([0x65, 0x00, 0x04, 0x00, 0x00, 0x00, 1, 2, 3, 4]);
    const transform = new SpiceLinkTicket(password);

    // SpiceLinkHeader (16) + SpiceLinkMess (18) + two capability words.
    expect(link).toHaveLength(16 + 18 + 8);
    expect(transform.fromViewer(link)).toEqual({ toServer: link, toViewer: Buffer.alloc(0) });
    expect(transform.request).toEqual({ connectionId: 0, channelType: 1, channelId: 0, authSelection: true });
    // SpiceLinkHeader (16) + SpiceLinkReply (4 + 162 + 12) + two capability words.
    expect(reply).toHaveLength(16 + 178 + 8);
    expect(transform.fromServer(reply)).toEqual({ toServer: Buffer.alloc(0), toViewer: reply });
    expect(transform.done).toBe(false);

    const auth = transform.fromViewer(Buffer.concat([spiceTicket(1, dummy), firstMessage]));
    expect(auth.toServer).toHaveLength(4 + 128 + firstMessage.length);
    expect(auth.toServer.subarray(0, 4)).toEqual(Buffer.from([1, 0, 0, 0]));
    expect(decrypt(auth.toServer.subarray(4, 132))).toBe(`${password}\0`);
    expect(auth.toServer.subarray(132)).toEqual(firstMessage);
    expect(transform.done).toBe(false);

    // The link result (held until whole, the channel's first message behind it) and everything after pass untouched.
    const linkResult = Buffer.from([0, 0, 0, 0]);
    const serverMessage = Buffer.from([0x67, 0x00, 0x02, 0x00, 0x00, 0x00, 9, 9]);
    expect(transform.fromServer(linkResult.subarray(0, 3)).toViewer).toEqual(Buffer.alloc(0));
    expect(transform.fromServer(Buffer.concat([linkResult.subarray(3), serverMessage])).toViewer).toEqual(Buffer.concat([linkResult, serverMessage]));
    expect(transform.linkResult).toBe(0);
    expect(transform.done).toBe(true);
    expect(transform.fromServer(serverMessage).toViewer).toEqual(serverMessage);
    expect(transform.fromViewer(dummy).toServer).toEqual(dummy);
  });

  it('gives the same bytes when every structure arrives one byte at a time', () => {
    const link = spiceLink({ channelType: 2, channelId: 0, connectionId: 0x1234abcd, commonCaps: [0b1001], channelCaps: [0b1010] });
    const reply = spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [] });
    const transform = new SpiceLinkTicket(password);

    expect(byteByByte((c) => transform.fromViewer(c), link).toServer).toEqual(link);
    expect(transform.request).toMatchObject({ connectionId: 0x1234abcd, channelType: 2 });
    expect(byteByByte((c) => transform.fromServer(c), reply).toViewer).toEqual(reply);
    const auth = byteByByte((c) => transform.fromViewer(c), spiceTicket(1, Buffer.alloc(128, 7)));
    expect(auth.toServer.subarray(0, 4)).toEqual(Buffer.from([1, 0, 0, 0]));
    expect(decrypt(auth.toServer.subarray(4))).toBe(`${password}\0`);
  });

  it('sends the 128-byte block alone when the viewer did not offer auth selection', () => {
    const link = spiceLink({ channelType: 1, commonCaps: [0b1000], channelCaps: [] });
    const transform = new SpiceLinkTicket(password);
    transform.fromViewer(link);
    transform.fromServer(spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [] }));
    const auth = transform.fromViewer(Buffer.alloc(128, 1));
    expect(auth.toServer).toHaveLength(128);
    expect(decrypt(auth.toServer)).toBe(`${password}\0`);
  });

  it('holds a ticket the viewer sent before the reply arrived and sends it, replaced, with the reply', () => {
    const transform = new SpiceLinkTicket(password);
    const link = spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [] });
    expect(transform.fromViewer(Buffer.concat([link, spiceTicket(1, Buffer.alloc(128, 2))])).toServer).toEqual(link);
    const reply = spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [] });
    const step = transform.fromServer(reply);
    expect(step.toViewer).toEqual(reply);
    expect(decrypt(step.toServer.subarray(4))).toBe(`${password}\0`);
  });

  it('reports the link result of a refused ticket (SPICE_LINK_ERR_PERMISSION_DENIED)', () => {
    const transform = new SpiceLinkTicket(password);
    transform.fromViewer(spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [] }));
    transform.fromServer(spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [] }));
    transform.fromViewer(spiceTicket(1, Buffer.alloc(128)));
    expect(transform.fromServer(Buffer.from([7, 0, 0, 0])).toViewer).toEqual(Buffer.from([7, 0, 0, 0]));
    expect(transform.done).toBe(true);
    expect(transform.linkResult).toBe(7);
  });

  it('refuses a link result before the viewer sent its ticket', () => {
    const transform = new SpiceLinkTicket(password);
    transform.fromViewer(spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [] }));
    const reply = spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [] });
    expect(() => transform.fromServer(Buffer.concat([reply, Buffer.from([0, 0, 0, 0])]))).toThrow(/has not sent/);
  });

  it('passes a refused link on to the viewer and sends no ticket', () => {
    const transform = new SpiceLinkTicket(password);
    transform.fromViewer(spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [] }));
    const refusal = spiceLinkReply({ error: 7, publicKey: Buffer.alloc(162), commonCaps: [], channelCaps: [] });
    expect(transform.fromServer(refusal)).toEqual({ toServer: Buffer.alloc(0), toViewer: refusal });
    expect(transform.done).toBe(true);
    expect(transform.linkResult).toBe(7);
  });

  const header = (magic: string, major: number, minor: number, size: number): Buffer => {
    const bytes = Buffer.alloc(16);
    bytes.write(magic, 0, 'latin1');
    bytes.writeUInt32LE(major, 4);
    bytes.writeUInt32LE(minor, 8);
    bytes.writeUInt32LE(size, 12);
    return bytes;
  };

  it.each([
    ['garbage (an HTTP request)', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /magic/],
    ['another protocol version', header('REDQ', 1, 3, 18), /1\.3 is not 2\.2/],
    ['a truncated link message', header('REDQ', 2, 2, 10), /truncated/],
    ['an oversized link message', header('REDQ', 2, 2, 1 << 20), /oversized/],
    [
      'capabilities outside the message',
      Buffer.concat([header('REDQ', 2, 2, 18), Buffer.from([0, 0, 0, 0, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 18, 0, 0, 0])]),
      /outside/,
    ],
  ])('refuses %s from the viewer', (_name, bytes, message) => {
    const transform = new SpiceLinkTicket(password);
    expect(() => transform.fromViewer(bytes)).toThrow(SpiceLinkError);
    expect(() => new SpiceLinkTicket(password).fromViewer(bytes)).toThrow(message);
  });

  it('refuses an auth mechanism other than SPICE ticketing (SASL)', () => {
    const transform = new SpiceLinkTicket(password);
    transform.fromViewer(spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [] }));
    transform.fromServer(spiceLinkReply({ publicKey: spki, commonCaps: [0b1011], channelCaps: [] }));
    expect(() => transform.fromViewer(spiceTicket(2, Buffer.alloc(0)))).toThrow(/auth mechanism 2/);
  });

  it('refuses a reply whose key is not a 1024-bit RSA key', () => {
    const transform = new SpiceLinkTicket(password);
    transform.fromViewer(spiceLink({ channelType: 1, commonCaps: [0b1001], channelCaps: [] }));
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const notRsa = spiceLinkReply({ publicKey: Buffer.concat([ecKey, Buffer.alloc(162 - ecKey.length)]), commonCaps: [1], channelCaps: [] });
    expect(() => transform.fromServer(notRsa)).toThrow(SpiceLinkError);
  });

  it('refuses a server that speaks before the viewer linked', () => {
    expect(() => new SpiceLinkTicket(password).fromServer(Buffer.from('REDQ'))).toThrow(/before the viewer/);
  });
});
