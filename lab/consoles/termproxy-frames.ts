/**
 * The client side of PVE's termproxy protocol (pve-xtermjs): after the
 * `<user>:<ticket>\n` line, the client sends
 *   `0:<byte length>:<data>`  terminal input,
 *   `1:<cols>:<rows>:`        a resize,
 *   `2`                       a keep-alive ping (every 30 s).
 * Frames arrive split or glued together in arbitrary TCP/WebSocket chunks,
 * so this parser keeps its state between chunks.
 */
export type TermproxyFrame = { type: 'data'; data: Buffer } | { type: 'resize'; cols: number; rows: number } | { type: 'ping' };

export class TermproxyProtocolError extends Error {}

/** Larger input frames are refused: xterm.js sends keystrokes and pastes, not bulk data. */
const MAX_DATA_FRAME = 16 * 1024 * 1024;
const MAX_NUMBER_DIGITS = 10;
const COLON = 0x3a;

type NumberField = 'length' | 'cols' | 'rows';

type State =
  | { kind: 'type' }
  | { kind: 'separator'; next: NumberField }
  | { kind: 'number'; field: NumberField; digits: string; cols: number }
  | { kind: 'payload'; remaining: number; parts: Buffer[] };

export class TermproxyFrameParser {
  private state: State = { kind: 'type' };

  /** Consumes a chunk and returns the frames it completes; throws TermproxyProtocolError on bytes no client sends. */
  push(chunk: Buffer): TermproxyFrame[] {
    const frames: TermproxyFrame[] = [];
    let i = 0;
    while (i < chunk.length) {
      const state = this.state;
      if (state.kind === 'payload') {
        const take = Math.min(state.remaining, chunk.length - i);
        state.parts.push(chunk.subarray(i, i + take));
        state.remaining -= take;
        i += take;
        if (state.remaining === 0) {
          frames.push({ type: 'data', data: Buffer.concat(state.parts) });
          this.state = { kind: 'type' };
        }
        continue;
      }
      const byte = chunk[i] ?? 0;
      i += 1;
      this.state = this.step(state, byte, frames);
    }
    return frames;
  }

  private step(state: Exclude<State, { kind: 'payload' }>, byte: number, frames: TermproxyFrame[]): State {
    switch (state.kind) {
      case 'type':
        if (byte === 0x30) return { kind: 'separator', next: 'length' };
        if (byte === 0x31) return { kind: 'separator', next: 'cols' };
        if (byte === 0x32) {
          frames.push({ type: 'ping' });
          return { kind: 'type' };
        }
        throw new TermproxyProtocolError(`unknown termproxy frame type 0x${byte.toString(16)}`);
      case 'separator':
        if (byte !== COLON) throw new TermproxyProtocolError(`expected ':' after the frame type, got 0x${byte.toString(16)}`);
        return { kind: 'number', field: state.next, digits: '', cols: 0 };
      case 'number': {
        if (byte >= 0x30 && byte <= 0x39) {
          if (state.digits.length >= MAX_NUMBER_DIGITS) throw new TermproxyProtocolError('number too long in termproxy frame');
          return { ...state, digits: state.digits + String.fromCharCode(byte) };
        }
        if (byte !== COLON || state.digits === '') throw new TermproxyProtocolError(`unexpected byte 0x${byte.toString(16)} in termproxy frame`);
        const value = Number(state.digits);
        if (state.field === 'length') {
          if (value > MAX_DATA_FRAME) throw new TermproxyProtocolError(`termproxy data frame of ${value} bytes is too large`);
          return value === 0 ? { kind: 'type' } : { kind: 'payload', remaining: value, parts: [] };
        }
        if (state.field === 'cols') return { kind: 'number', field: 'rows', digits: '', cols: value };
        frames.push({ type: 'resize', cols: state.cols, rows: value });
        return { kind: 'type' };
      }
    }
  }
}
