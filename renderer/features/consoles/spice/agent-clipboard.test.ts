import { describe, expect, it } from 'vitest';
import {
  AgentClipboard,
  decodeAnnounceCapabilities,
  decodeClipboard,
  decodeClipboardGrab,
  decodeClipboardRelease,
  decodeClipboardRequest,
  encodeAnnounceCapabilities,
  encodeClipboard,
  encodeClipboardGrab,
  encodeClipboardRelease,
  encodeClipboardRequest,
  vdAgentCapabilities,
  viewerCapabilities,
} from './agent-clipboard';
import { vdAgentMessageTypes, type AgentMessage } from './agent-stream';

const list = (payload: Uint8Array) => Array.from(payload);
const bytes = (...values: number[]) => new Uint8Array(values);

describe('agent clipboard payloads, byte for byte (vd_agent.h)', () => {
  it('VDAgentAnnounceCapabilities: uint32 request, then the capability word (MOUSE_STATE, MONITORS_CONFIG, REPLY, CLIPBOARD_BY_DEMAND, CLIPBOARD_SELECTION = 0x67)', () => {
    expect(list(encodeAnnounceCapabilities(true, viewerCapabilities(true)))).toEqual([1, 0, 0, 0, 0x67, 0, 0, 0]);
    expect(list(encodeAnnounceCapabilities(false, viewerCapabilities(false)))).toEqual([0, 0, 0, 0, 0x07, 0, 0, 0]);
  });

  it('reads an agent’s announce, several words included', () => {
    expect(decodeAnnounceCapabilities(bytes(1, 0, 0, 0, 0x60, 0, 0, 0, 1, 0, 0, 0))).toEqual({ request: true, capabilities: new Set([5, 6, 32]) });
    expect(decodeAnnounceCapabilities(bytes(1, 0, 0))).toBeUndefined();
  });

  it('VDAgentClipboardGrab: selection byte + 3 reserved with CLIPBOARD_SELECTION, then uint32 types', () => {
    expect(list(encodeClipboardGrab([1], 0))).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
    expect(list(encodeClipboardGrab([1, 2], undefined))).toEqual([1, 0, 0, 0, 2, 0, 0, 0]);
    expect(decodeClipboardGrab(bytes(1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0), true)).toEqual({ selection: 1, types: [1, 2] });
    expect(decodeClipboardGrab(bytes(1, 0, 0, 0, 2, 0, 0, 0), false)).toEqual({ selection: 0, types: [1, 2] });
  });

  it('VDAgentClipboardRequest: [selection + 3 reserved], uint32 type', () => {
    expect(list(encodeClipboardRequest(1, 0))).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
    expect(list(encodeClipboardRequest(1, undefined))).toEqual([1, 0, 0, 0]);
    expect(decodeClipboardRequest(bytes(0, 0, 0, 0, 1, 0, 0, 0), true)).toEqual({ selection: 0, type: 1 });
  });

  it('VDAgentClipboard: [selection + 3 reserved], uint32 type, the UTF-8 bytes', () => {
    expect(list(encodeClipboard(1, new TextEncoder().encode('é!'), 0))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0xc3, 0xa9, 0x21]);
    expect(list(encodeClipboard(1, bytes(0x41), undefined))).toEqual([1, 0, 0, 0, 0x41]);
    expect(decodeClipboard(bytes(0, 0, 0, 0, 1, 0, 0, 0, 0x41, 0x42), true)).toEqual({ selection: 0, type: 1, data: bytes(0x41, 0x42) });
  });

  it('VDAgentClipboardRelease: only the selection prefix', () => {
    expect(list(encodeClipboardRelease(0))).toEqual([0, 0, 0, 0]);
    expect(list(encodeClipboardRelease(undefined))).toEqual([]);
    expect(decodeClipboardRelease(bytes(2, 0, 0, 0), true)).toEqual({ selection: 2 });
  });

  it('refuses truncated or misaligned payloads without throwing', () => {
    expect(decodeClipboardGrab(bytes(0, 0), true)).toBeUndefined();
    expect(decodeClipboardGrab(bytes(0, 0, 0, 0, 1, 0), true)).toBeUndefined();
    expect(decodeClipboardRequest(bytes(0, 0, 0, 0, 1, 0, 0), true)).toBeUndefined();
    expect(decodeClipboard(bytes(0, 0, 0, 0, 1), true)).toBeUndefined();
    expect(decodeClipboardRelease(bytes(0), true)).toBeUndefined();
  });
});

/** An agent on the other side: what the viewer sent, and a way to answer. */
function agentSession(clipboardSharing = true) {
  const sent: AgentMessage[] = [];
  const guestTexts: string[] = [];
  const clipboard = new AgentClipboard({
    clipboardSharing,
    send: (type, payload) => sent.push({ type, payload }),
    onGuestText: (text) => guestTexts.push(text),
  });
  const agentAnnounces = (...capabilities: number[]) =>
    clipboard.receive({ type: vdAgentMessageTypes.announceCapabilities, payload: encodeAnnounceCapabilities(true, capabilities) });
  return { clipboard, sent, guestTexts, agentAnnounces };
}

const { clipboardByDemand, clipboardSelection, guestLineEndCrlf } = vdAgentCapabilities;

describe('AgentClipboard', () => {
  it('answers an agent’s announce that asks for ours with ours, not asking back', () => {
    const { sent, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand);
    expect(sent).toEqual([{ type: 6, payload: bytes(0, 0, 0, 0, 0x67, 0, 0, 0) }]);
  });

  it('guest copies: requests the UTF-8 text the guest grabbed with, then hands the text over', () => {
    const { clipboard, sent, guestTexts, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand, clipboardSelection);
    sent.length = 0;
    clipboard.receive({ type: 7, payload: encodeClipboardGrab([3, 1], 0) });
    expect(sent).toEqual([{ type: 8, payload: bytes(0, 0, 0, 0, 1, 0, 0, 0) }]);
    clipboard.receive({ type: 4, payload: encodeClipboard(1, new TextEncoder().encode('ls -la | grep é\0'), 0) });
    expect(guestTexts).toEqual(['ls -la | grep é']);
  });

  it('ignores the PRIMARY selection and grabs without text', () => {
    const { clipboard, sent, guestTexts, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand, clipboardSelection);
    sent.length = 0;
    clipboard.receive({ type: 7, payload: encodeClipboardGrab([1], 1) });
    clipboard.receive({ type: 7, payload: encodeClipboardGrab([2], 0) });
    clipboard.receive({ type: 4, payload: encodeClipboard(1, bytes(0x41), 1) });
    expect(sent).toEqual([]);
    expect(guestTexts).toEqual([]);
  });

  it('user pastes: grabs the guest clipboard, answers the guest’s request with the text', () => {
    const { clipboard, sent, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand, clipboardSelection);
    sent.length = 0;
    expect(clipboard.paste('echo ok')).toBe(true);
    expect(sent).toEqual([{ type: 7, payload: bytes(0, 0, 0, 0, 1, 0, 0, 0) }]);
    clipboard.receive({ type: 8, payload: encodeClipboardRequest(1, 0) });
    expect(sent[1]).toEqual({ type: 4, payload: encodeClipboard(1, new TextEncoder().encode('echo ok'), 0) });
  });

  it('answers NONE to a request once the guest grabbed its clipboard back', () => {
    const { clipboard, sent, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand, clipboardSelection);
    clipboard.paste('secret-free text');
    clipboard.receive({ type: 7, payload: encodeClipboardGrab([1], 0) });
    sent.length = 0;
    clipboard.receive({ type: 8, payload: encodeClipboardRequest(1, 0) });
    expect(sent).toEqual([{ type: 4, payload: bytes(0, 0, 0, 0, 0, 0, 0, 0) }]);
  });

  it('speaks without the selection prefix to an agent that does not announce CLIPBOARD_SELECTION, and CR LF to a Windows agent', () => {
    const { clipboard, sent, guestTexts, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand, guestLineEndCrlf);
    sent.length = 0;
    clipboard.paste('a\nb');
    clipboard.receive({ type: 8, payload: bytes(1, 0, 0, 0) });
    expect(sent).toEqual([
      { type: 7, payload: bytes(1, 0, 0, 0) },
      { type: 4, payload: bytes(1, 0, 0, 0, 0x61, 0x0d, 0x0a, 0x62) },
    ]);
    clipboard.receive({ type: 4, payload: bytes(1, 0, 0, 0, 0x63, 0x0d, 0x0a, 0x64) });
    expect(guestTexts).toEqual(['c\nd']);
  });

  it('sends the text unasked to an agent without CLIPBOARD_BY_DEMAND', () => {
    const { clipboard, sent, agentAnnounces } = agentSession();
    agentAnnounces();
    sent.length = 0;
    clipboard.paste('x');
    expect(sent).toEqual([{ type: 4, payload: bytes(1, 0, 0, 0, 0x78) }]);
  });

  it('shares nothing when the profile turned clipboard sharing off', () => {
    const { clipboard, sent, guestTexts, agentAnnounces } = agentSession(false);
    agentAnnounces(clipboardByDemand, clipboardSelection);
    expect(sent).toEqual([{ type: 6, payload: bytes(0, 0, 0, 0, 0x07, 0, 0, 0) }]);
    expect(clipboard.paste('x')).toBe(false);
    expect(clipboard.receive({ type: 7, payload: encodeClipboardGrab([1], 0) })).toBe(false);
    expect(clipboard.receive({ type: 4, payload: encodeClipboard(1, bytes(0x41), 0) })).toBe(false);
    expect(sent).toHaveLength(1);
    expect(guestTexts).toEqual([]);
  });

  it('drops malformed clipboard messages without throwing', () => {
    const { clipboard, sent, guestTexts, agentAnnounces } = agentSession();
    agentAnnounces(clipboardByDemand, clipboardSelection);
    sent.length = 0;
    for (const type of [4, 6, 7, 8, 9]) expect(() => clipboard.receive({ type, payload: bytes(0, 0, 1) })).not.toThrow();
    expect(sent).toEqual([]);
    expect(guestTexts).toEqual([]);
  });
});
