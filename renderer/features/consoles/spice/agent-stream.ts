/**
 * The SPICE agent's byte stream (spice-protocol `spice/vd_agent.h`): every message is a `VDAgentMessage`
 * header (little-endian `uint32 protocol`, `uint32 type`, `uint64 opaque`, `uint32 size`) followed by `size` bytes.
 * The stream travels in SPICE main-channel messages of at most `VD_AGENT_MAX_DATA_SIZE` bytes each, so one agent
 * message may span several of them (a long clipboard text does) and the reader below puts it back together.
 * Pure: no DOM, no spice-html5.
 */

export const vdAgentProtocol = 1;
/** The largest piece of the agent stream one SPICE_MSGC_MAIN_AGENT_DATA message may carry. */
export const vdAgentMaxDataSize = 2048;
export const vdAgentHeaderSize = 20;

/** The agent message types this app speaks (`VD_AGENT_*` in `vd_agent.h`). */
export const vdAgentMessageTypes = {
  monitorsConfig: 2,
  clipboard: 4,
  announceCapabilities: 6,
  clipboardGrab: 7,
  clipboardRequest: 8,
  clipboardRelease: 9,
} as const;

/** The largest agent message the viewer accepts from the guest: a clipboard text beyond it is refused, not buffered. */
export const maxAgentMessageBytes = 1024 * 1024;

export interface AgentMessage {
  type: number;
  payload: Uint8Array;
}

/** One agent message as it goes on the stream: header, then payload. */
export function encodeAgentMessage(type: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(vdAgentHeaderSize + payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, vdAgentProtocol, true);
  view.setUint32(4, type, true);
  view.setBigUint64(8, 0n, true);
  view.setUint32(16, payload.byteLength, true);
  bytes.set(payload, vdAgentHeaderSize);
  return bytes;
}

/** Cuts the stream into the pieces of at most `VD_AGENT_MAX_DATA_SIZE` bytes that each SPICE_MSGC_MAIN_AGENT_DATA carries (one agent token each). */
export function chunkAgentStream(bytes: Uint8Array, maxChunk = vdAgentMaxDataSize): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.byteLength; start += maxChunk) chunks.push(bytes.subarray(start, Math.min(start + maxChunk, bytes.byteLength)));
  return chunks;
}

/** The SPICE_MSGC_MAIN_AGENT_DATA payloads that carry one agent message. */
export function agentMessageChunks(type: number, payload: Uint8Array): Uint8Array[] {
  return chunkAgentStream(encodeAgentMessage(type, payload));
}

export type AgentStreamItem = { kind: 'message'; message: AgentMessage } | { kind: 'refused'; reason: string };

/**
 * Reassembles agent messages from SPICE_MSG_MAIN_AGENT_DATA payloads. Never throws: a header with another protocol
 * drops what is buffered (the stream cannot be trusted past it, the next payload starts afresh); a message larger than
 * `maxMessage` is skipped byte for byte without being kept, so the stream stays in step after it.
 */
export class AgentStreamReader {
  private readonly header = new Uint8Array(vdAgentHeaderSize);
  private headerFilled = 0;
  private body: { type: number; bytes: Uint8Array; filled: number } | undefined;
  private skipping = 0;

  constructor(private readonly maxMessage = maxAgentMessageBytes) {}

  push(chunk: Uint8Array): AgentStreamItem[] {
    const items: AgentStreamItem[] = [];
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.skipping > 0) {
        const skipped = Math.min(this.skipping, chunk.byteLength - at);
        this.skipping -= skipped;
        at += skipped;
      } else if (this.body !== undefined) {
        const body = this.body;
        const taken = Math.min(body.bytes.byteLength - body.filled, chunk.byteLength - at);
        body.bytes.set(chunk.subarray(at, at + taken), body.filled);
        body.filled += taken;
        at += taken;
        if (body.filled === body.bytes.byteLength) {
          items.push({ kind: 'message', message: { type: body.type, payload: body.bytes } });
          this.body = undefined;
        }
      } else {
        const taken = Math.min(vdAgentHeaderSize - this.headerFilled, chunk.byteLength - at);
        this.header.set(chunk.subarray(at, at + taken), this.headerFilled);
        this.headerFilled += taken;
        at += taken;
        if (this.headerFilled === vdAgentHeaderSize) {
          const item = this.readHeader();
          if (item !== undefined) items.push(item);
          // Another protocol (refused without a skip): the rest of this payload cannot be read either.
          if (item?.kind === 'refused' && this.skipping === 0) return items;
        }
      }
    }
    return items;
  }

  /**
   * Reads the completed header: starts the body (nothing to report yet), answers an empty message at once,
   * starts skipping an oversized one, or refuses the stream (another protocol: what follows is dropped).
   */
  private readHeader(): AgentStreamItem | undefined {
    const view = new DataView(this.header.buffer);
    this.headerFilled = 0;
    if (view.getUint32(0, true) !== vdAgentProtocol) {
      this.reset();
      return { kind: 'refused', reason: 'agent message with an unknown protocol' };
    }
    const type = view.getUint32(4, true);
    const size = view.getUint32(16, true);
    if (size > this.maxMessage) {
      this.skipping = size;
      return { kind: 'refused', reason: 'agent message over the size limit' };
    }
    if (size === 0) return { kind: 'message', message: { type, payload: new Uint8Array(0) } };
    this.body = { type, bytes: new Uint8Array(size), filled: 0 };
    return undefined;
  }

  /** Forgets any partial message (the agent disconnected, or the stream went wrong). */
  reset(): void {
    this.headerFilled = 0;
    this.body = undefined;
    this.skipping = 0;
  }
}
