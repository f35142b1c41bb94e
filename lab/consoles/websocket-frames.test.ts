import { describe, expect, it } from 'vitest';
import { ClientFrameReader, encodeFrame, MAX_FRAME_PAYLOAD, WebSocketFrameError } from './websocket-frames';

/** A client frame as browsers send them: masked, final unless told. */
function clientFrame(payload: Buffer, options: { opcode?: number; fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  const { opcode = 0x2, fin = true, rsv = 0, masked = true } = options;
  const server = encodeFrame(payload, opcode);
  const headerLength = server.length - payload.length;
  const header = Buffer.from(server.subarray(0, headerLength));
  header[0] = (fin ? 0x80 : 0) | rsv | opcode;
  if (!masked) return Buffer.concat([header, payload]);
  header[1] = (header[1] ?? 0) | 0x80;
  const mask = Buffer.from([0x11, 0x22, 0x33, 0x44]);
  return Buffer.concat([header, mask, Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)))]);
}

function reader(): { reader: ClientFrameReader; data: Buffer[]; pings: Buffer[]; closes: number[] } {
  const data: Buffer[] = [];
  const pings: Buffer[] = [];
  const closes: number[] = [];
  return { reader: new ClientFrameReader({ data: (p) => data.push(p), ping: (p) => pings.push(p), close: () => closes.push(1) }), data, pings, closes };
}

describe('ClientFrameReader (pveproxy websocket_proxy rules)', () => {
  it('unmasks data frames, split anywhere, up to 128 KiB', () => {
    const { reader: r, data } = reader();
    const big = Buffer.alloc(MAX_FRAME_PAYLOAD, 7);
    const bytes = Buffer.concat([clientFrame(Buffer.from('hello')), clientFrame(big)]);
    for (let at = 0; at < bytes.length; at += 1000) r.push(bytes.subarray(at, at + 1000));
    expect(data.map((d) => d.length)).toEqual([5, MAX_FRAME_PAYLOAD]);
    expect(data[0]?.toString()).toBe('hello');
    expect(data[1]?.equals(big)).toBe(true);
  });

  it('answers pings, ignores pongs, ends on close', () => {
    const { reader: r, pings, closes } = reader();
    r.push(
      Buffer.concat([
        clientFrame(Buffer.from('p'), { opcode: 0x9 }),
        clientFrame(Buffer.alloc(0), { opcode: 0xa }),
        clientFrame(Buffer.from([3, 232]), { opcode: 0x8 }),
      ]),
    );
    expect(pings.map((p) => p.toString())).toEqual(['p']);
    expect(closes).toEqual([1]);
  });

  it.each([
    ['a frame over 128 KiB', clientFrame(Buffer.alloc(MAX_FRAME_PAYLOAD + 1)), /too large websocket frame \(len = 131073\)/],
    ['a fragmented frame', clientFrame(Buffer.from('part'), { fin: false }), /fragmented/],
    ['RSV flags', clientFrame(Buffer.from('x'), { rsv: 0x40 }), /RSV flags/],
    ['an unmasked frame', clientFrame(Buffer.from('x'), { masked: false }), /unmasked/],
    ['an unknown opcode', clientFrame(Buffer.from('x'), { opcode: 0x3 }), /unhandled websocket opcode 3/],
  ])('refuses %s', (_name, frame, message) => {
    const { reader: r, data } = reader();
    expect(() => r.push(frame)).toThrow(WebSocketFrameError);
    expect(() => reader().reader.push(frame)).toThrow(message);
    expect(data).toEqual([]);
  });

  it('refuses a too large frame from its header alone, before its payload arrives', () => {
    const header = clientFrame(Buffer.alloc(MAX_FRAME_PAYLOAD + 1)).subarray(0, 10);
    expect(() => reader().reader.push(header)).toThrow(/too large/);
  });
});
