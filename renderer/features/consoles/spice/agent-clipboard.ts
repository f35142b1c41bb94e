import { vdAgentMessageTypes, type AgentMessage } from './agent-stream';

/**
 * The SPICE agent's clipboard, which spice-html5 lacks (spice-protocol `spice/vd_agent.h`): capability announces,
 * and the grab → request → data exchange for UTF-8 text, both ways. Pure: it encodes and decodes message payloads and
 * keeps the exchange's state; the caller carries the bytes (agent-stream.ts frames them, spice-client.ts sends them).
 */

/** Capability bits (`VD_AGENT_CAP_*`). */
export const vdAgentCapabilities = {
  mouseState: 0,
  monitorsConfig: 1,
  reply: 2,
  clipboard: 3,
  displayConfig: 4,
  clipboardByDemand: 5,
  clipboardSelection: 6,
  sparseMonitorsConfig: 7,
  guestLineEndLf: 8,
  guestLineEndCrlf: 9,
} as const;

/** `VD_AGENT_CLIPBOARD_NONE` / `_UTF8_TEXT`: the only type this app offers or asks for is UTF-8 text. */
export const vdAgentClipboardTypes = { none: 0, utf8Text: 1 } as const;

/** `VD_AGENT_CLIPBOARD_SELECTION_CLIPBOARD`: the guest's copy/paste clipboard (not X11's PRIMARY selection). */
export const clipboardSelection = 0;

/**
 * With CLIPBOARD_SELECTION on both sides, every clipboard message starts with a selection byte and 3 reserved bytes;
 * without it they start with their own fields. `undefined` = no selection prefix.
 */
type Selection = number | undefined;

function withSelectionPrefix(selection: Selection, words: number[], tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const prefix = selection === undefined ? 0 : 4;
  const bytes = new Uint8Array(prefix + 4 * words.length + tail.byteLength);
  const view = new DataView(bytes.buffer);
  if (selection !== undefined) view.setUint8(0, selection);
  words.forEach((word, index) => view.setUint32(prefix + 4 * index, word, true));
  bytes.set(tail, prefix + 4 * words.length);
  return bytes;
}

/** `VDAgentAnnounceCapabilities`: `uint32 request`, then the capability bit words. */
export function encodeAnnounceCapabilities(request: boolean, capabilities: readonly number[]): Uint8Array {
  const wordCount = Math.max(1, ...capabilities.map((bit) => Math.floor(bit / 32) + 1));
  const words = new Array<number>(wordCount).fill(0);
  for (const bit of capabilities) words[Math.floor(bit / 32)] = ((words[Math.floor(bit / 32)] ?? 0) | (1 << (bit % 32))) >>> 0;
  return withSelectionPrefix(undefined, [request ? 1 : 0, ...words]);
}

export function decodeAnnounceCapabilities(payload: Uint8Array): { request: boolean; capabilities: Set<number> } | undefined {
  if (payload.byteLength < 4 || payload.byteLength % 4 !== 0) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const capabilities = new Set<number>();
  for (let word = 1; word < payload.byteLength / 4; word++) {
    const bits = view.getUint32(4 * word, true);
    for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) capabilities.add(32 * (word - 1) + bit);
  }
  return { request: view.getUint32(0, true) !== 0, capabilities };
}

/** `VDAgentClipboardGrab`: [selection + 3 reserved], then the offered types. */
export function encodeClipboardGrab(types: readonly number[], selection: Selection): Uint8Array {
  return withSelectionPrefix(selection, [...types]);
}

/** `VDAgentClipboardRequest`: [selection + 3 reserved], `uint32 type`. */
export function encodeClipboardRequest(type: number, selection: Selection): Uint8Array {
  return withSelectionPrefix(selection, [type]);
}

/** `VDAgentClipboard`: [selection + 3 reserved], `uint32 type`, the data. */
export function encodeClipboard(type: number, data: Uint8Array, selection: Selection): Uint8Array {
  return withSelectionPrefix(selection, [type], data);
}

/** `VDAgentClipboardRelease`: [selection + 3 reserved] only. */
export function encodeClipboardRelease(selection: Selection): Uint8Array {
  return withSelectionPrefix(selection, []);
}

interface ClipboardFields {
  selection: number;
  /** The payload after the selection prefix. */
  rest: DataView;
}

function readSelection(payload: Uint8Array, hasSelection: boolean): ClipboardFields | undefined {
  const prefix = hasSelection ? 4 : 0;
  if (payload.byteLength < prefix) return undefined;
  return {
    selection: hasSelection ? (payload[0] ?? clipboardSelection) : clipboardSelection,
    rest: new DataView(payload.buffer, payload.byteOffset + prefix, payload.byteLength - prefix),
  };
}

export function decodeClipboardGrab(payload: Uint8Array, hasSelection: boolean): { selection: number; types: number[] } | undefined {
  const fields = readSelection(payload, hasSelection);
  if (fields === undefined || fields.rest.byteLength % 4 !== 0) return undefined;
  const types = Array.from({ length: fields.rest.byteLength / 4 }, (_, index) => fields.rest.getUint32(4 * index, true));
  return { selection: fields.selection, types };
}

export function decodeClipboardRequest(payload: Uint8Array, hasSelection: boolean): { selection: number; type: number } | undefined {
  const fields = readSelection(payload, hasSelection);
  if (fields === undefined || fields.rest.byteLength !== 4) return undefined;
  return { selection: fields.selection, type: fields.rest.getUint32(0, true) };
}

export function decodeClipboard(payload: Uint8Array, hasSelection: boolean): { selection: number; type: number; data: Uint8Array } | undefined {
  const fields = readSelection(payload, hasSelection);
  if (fields === undefined || fields.rest.byteLength < 4) return undefined;
  const data = new Uint8Array(fields.rest.buffer, fields.rest.byteOffset + 4, fields.rest.byteLength - 4);
  return { selection: fields.selection, type: fields.rest.getUint32(0, true), data };
}

export function decodeClipboardRelease(payload: Uint8Array, hasSelection: boolean): { selection: number } | undefined {
  const fields = readSelection(payload, hasSelection);
  return fields === undefined ? undefined : { selection: fields.selection };
}

/** What the viewer announces: spice-html5's own (mouse state, monitors config, reply), plus the clipboard when shared. */
export function viewerCapabilities(clipboardSharing: boolean): number[] {
  const base = [vdAgentCapabilities.mouseState, vdAgentCapabilities.monitorsConfig, vdAgentCapabilities.reply];
  return clipboardSharing ? [...base, vdAgentCapabilities.clipboardByDemand, vdAgentCapabilities.clipboardSelection] : base;
}

export interface AgentClipboardOptions {
  clipboardSharing: boolean;
  /** Sends one agent message (the caller frames, chunks and spends tokens). */
  send(type: number, payload: Uint8Array): void;
  /** Text the guest put on its clipboard. */
  onGuestText(text: string): void;
}

const utf8 = new TextEncoder();
/** Invalid UTF-8 from the guest becomes U+FFFD rather than an exception. */
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The clipboard exchange with one agent. Guest copies: GRAB (offering UTF-8 text) → we REQUEST it → CLIPBOARD → the
 * text. The user pastes: we GRAB → the agent REQUESTs when the guest pastes → we answer CLIPBOARD with the text.
 * Agents without CLIPBOARD_BY_DEMAND (old ones) send and take CLIPBOARD messages unasked.
 * Only the CLIPBOARD selection is shared: X11's PRIMARY changes on every mouse selection and is not a copy.
 */
export class AgentClipboard {
  private agentCapabilities = new Set<number>();
  /** The text we grabbed the guest's clipboard with, until the guest grabs it back. */
  private offered: string | undefined;

  constructor(private readonly options: AgentClipboardOptions) {}

  /** Tells the agent what the viewer speaks; `request` asks it to announce its own in return. */
  announce(request: boolean): void {
    this.options.send(vdAgentMessageTypes.announceCapabilities, encodeAnnounceCapabilities(request, viewerCapabilities(this.options.clipboardSharing)));
  }

  /** The agent (re)connected or left: what it announced and what we offered no longer hold. */
  reset(): void {
    this.agentCapabilities = new Set();
    this.offered = undefined;
  }

  /** Handles one agent message; false when it is not the clipboard's (or not one this viewer answers). */
  receive(message: AgentMessage): boolean {
    if (message.type === vdAgentMessageTypes.announceCapabilities) {
      const announced = decodeAnnounceCapabilities(message.payload);
      if (announced === undefined) return true;
      this.agentCapabilities = announced.capabilities;
      if (announced.request) this.announce(false);
      return true;
    }
    if (!this.options.clipboardSharing) return false;
    switch (message.type) {
      case vdAgentMessageTypes.clipboardGrab:
        this.onGrab(message.payload);
        return true;
      case vdAgentMessageTypes.clipboardRequest:
        this.onRequest(message.payload);
        return true;
      case vdAgentMessageTypes.clipboard:
        this.onClipboard(message.payload);
        return true;
      case vdAgentMessageTypes.clipboardRelease:
        return true;
      default:
        return false;
    }
  }

  /** Puts `text` on the guest's clipboard; false when clipboard sharing is off. */
  paste(text: string): boolean {
    if (!this.options.clipboardSharing) return false;
    if (!this.agentCapabilities.has(vdAgentCapabilities.clipboardByDemand)) {
      this.sendText(text);
      return true;
    }
    this.offered = text;
    this.options.send(vdAgentMessageTypes.clipboardGrab, encodeClipboardGrab([vdAgentClipboardTypes.utf8Text], this.selection()));
    return true;
  }

  private selection(): Selection {
    return this.agentCapabilities.has(vdAgentCapabilities.clipboardSelection) ? clipboardSelection : undefined;
  }

  private hasSelection(): boolean {
    return this.selection() !== undefined;
  }

  private onGrab(payload: Uint8Array): void {
    const grab = decodeClipboardGrab(payload, this.hasSelection());
    if (grab === undefined || grab.selection !== clipboardSelection) return;
    this.offered = undefined;
    if (grab.types.includes(vdAgentClipboardTypes.utf8Text))
      this.options.send(vdAgentMessageTypes.clipboardRequest, encodeClipboardRequest(vdAgentClipboardTypes.utf8Text, this.selection()));
  }

  private onRequest(payload: Uint8Array): void {
    const request = decodeClipboardRequest(payload, this.hasSelection());
    if (request === undefined || request.selection !== clipboardSelection) return;
    if (request.type === vdAgentClipboardTypes.utf8Text && this.offered !== undefined) this.sendText(this.offered);
    // Asked for what we do not have: an empty answer of type NONE, as spice-gtk gives, so the guest does not wait.
    else this.options.send(vdAgentMessageTypes.clipboard, encodeClipboard(vdAgentClipboardTypes.none, new Uint8Array(0), this.selection()));
  }

  private onClipboard(payload: Uint8Array): void {
    const clipboard = decodeClipboard(payload, this.hasSelection());
    if (clipboard === undefined || clipboard.selection !== clipboardSelection || clipboard.type !== vdAgentClipboardTypes.utf8Text) return;
    // Some agents end the text with a NUL; Windows guests (GUEST_LINEEND_CRLF) end lines with CR LF.
    const text = utf8Decoder.decode(clipboard.data).replace(/\0+$/, '');
    this.options.onGuestText(this.agentCapabilities.has(vdAgentCapabilities.guestLineEndCrlf) ? text.replace(/\r\n/g, '\n') : text);
  }

  private sendText(text: string): void {
    const guestText = this.agentCapabilities.has(vdAgentCapabilities.guestLineEndCrlf) ? text.replace(/\r?\n/g, '\r\n') : text;
    this.options.send(vdAgentMessageTypes.clipboard, encodeClipboard(vdAgentClipboardTypes.utf8Text, utf8.encode(guestText), this.selection()));
  }
}
