import { describe, expect, it } from 'vitest';
import { AgentStreamReader, agentMessageChunks, chunkAgentStream, encodeAgentMessage, vdAgentMaxDataSize } from './agent-stream';

const bytes = (...values: number[]) => new Uint8Array(values);

/** Little-endian uint32 as 4 bytes. */
const u32 = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];

describe('VDAgentMessage framing', () => {
  it('writes protocol 1, the type, a zero opaque and the size, little-endian, then the payload', () => {
    expect(Array.from(encodeAgentMessage(7, bytes(0, 0, 0, 0, 1, 0, 0, 0)))).toEqual([
      ...u32(1),
      ...u32(7),
      ...[0, 0, 0, 0, 0, 0, 0, 0],
      ...u32(8),
      ...[0, 0, 0, 0, 1, 0, 0, 0],
    ]);
  });

  it('cuts a 10 000-character text’s message into pieces of at most 2048 bytes that join back to the message', () => {
    const payload = new TextEncoder().encode('x'.repeat(10_000));
    const message = encodeAgentMessage(4, payload);
    const chunks = agentMessageChunks(4, payload);
    expect(chunks.map((chunk) => chunk.byteLength)).toEqual([2048, 2048, 2048, 2048, 1828]);
    expect(chunks.every((chunk) => chunk.byteLength <= vdAgentMaxDataSize)).toBe(true);
    const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    chunks.reduce((at, chunk) => (joined.set(chunk, at), at + chunk.byteLength), 0);
    expect(joined).toEqual(message);
  });

  it('sends a message that fits as one piece, and nothing for nothing', () => {
    expect(chunkAgentStream(bytes(1, 2, 3))).toEqual([bytes(1, 2, 3)]);
    expect(chunkAgentStream(new Uint8Array(0))).toEqual([]);
  });
});

describe('AgentStreamReader', () => {
  it('puts back together a message split across SPICE messages at any byte, header included', () => {
    const payload = new TextEncoder().encode('héllo'.repeat(450));
    const stream = encodeAgentMessage(4, payload);
    for (const cut of [1, 7, 19, 20, 21, 2048]) {
      const reader = new AgentStreamReader();
      const first = reader.push(stream.subarray(0, cut));
      const second = reader.push(stream.subarray(cut));
      expect(first).toEqual([]);
      expect(second).toEqual([{ kind: 'message', message: { type: 4, payload } }]);
    }
  });

  it('reads several messages from one payload, empty ones included', () => {
    const reader = new AgentStreamReader();
    const stream = new Uint8Array([...encodeAgentMessage(9, new Uint8Array(0)), ...encodeAgentMessage(8, bytes(1, 0, 0, 0))]);
    expect(reader.push(stream)).toEqual([
      { kind: 'message', message: { type: 9, payload: new Uint8Array(0) } },
      { kind: 'message', message: { type: 8, payload: bytes(1, 0, 0, 0) } },
    ]);
  });

  it('refuses a message over the limit without keeping it, and reads the next one', () => {
    const reader = new AgentStreamReader(16);
    const stream = new Uint8Array([...encodeAgentMessage(4, new Uint8Array(100).fill(0x41)), ...encodeAgentMessage(9, new Uint8Array(0))]);
    const items = [...reader.push(stream.subarray(0, 50)), ...reader.push(stream.subarray(50))];
    expect(items).toEqual([
      { kind: 'refused', reason: 'agent message over the size limit' },
      { kind: 'message', message: { type: 9, payload: new Uint8Array(0) } },
    ]);
  });

  it('refuses a header of another protocol without throwing, and starts afresh with the next payload', () => {
    const reader = new AgentStreamReader();
    const bad = encodeAgentMessage(4, bytes(1, 2, 3));
    bad[0] = 2;
    expect(reader.push(bad)).toEqual([{ kind: 'refused', reason: 'agent message with an unknown protocol' }]);
    expect(reader.push(encodeAgentMessage(9, new Uint8Array(0)))).toEqual([{ kind: 'message', message: { type: 9, payload: new Uint8Array(0) } }]);
  });

  it('takes a declared size of 4 GiB − 1 as oversized rather than allocating it', () => {
    const header = encodeAgentMessage(4, new Uint8Array(0));
    new DataView(header.buffer).setUint32(16, 0xffffffff, true);
    expect(new AgentStreamReader().push(header)).toEqual([{ kind: 'refused', reason: 'agent message over the size limit' }]);
  });
});
