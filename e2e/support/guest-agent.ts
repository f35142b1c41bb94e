/**
 * A SPICE guest agent played from inside a lab guest, through its serial
 * console: the lab guests run no spice-vdagent, so a test speaks the agent
 * protocol (spice-protocol `spice/vd_agent.h`) itself on the guest's
 * virtio-serial port `com.redhat.spice.0`. Behind that port is QEMU's
 * `qemu-vdagent` (a `clipboard=vnc` guest: its peer is the VNC client) or
 * spice-server (a SPICE guest: its peer is the SPICE client).
 *
 * The guest's shell holds the port open read-write on fd 3 (the driver lets
 * one process open a port at a time), a background `cat` copies what arrives
 * to a file, and the test writes messages with `printf` octal escapes and
 * reads the file back with `od`. Only the clipboard part is spoken: capability
 * announcement (clipboard by demand, selection), grab, request, data, release;
 * UTF-8 text only.
 *
 * Wire format, little-endian: VDIChunkHeader { port u32, size u32 } then
 * chunk bytes; the chunks of one port carry VDAgentMessage { protocol u32 = 1,
 * type u32, opaque u64, size u32, data }. With the selection capability on
 * both sides, clipboard payloads start with { selection u8, reserved u8[3] }.
 */
import type { SerialConsole } from './serial-console';

/** The port the guest agent owns (qemu-server names it so for SPICE guests and for `clipboard=vnc`). */
const AGENT_PORT_NAME = 'com.redhat.spice.0';
/** Where the guest's background reader copies the port's bytes. */
const INBOX = '/tmp/vdagent.in';

const VD_AGENT_PROTOCOL = 1;
/** VDIChunkHeader.port of the messages between agent and client (VDP_CLIENT_PORT); VDP_SERVER_PORT is 2. */
const VDP_CLIENT_PORT = 1;
const CHUNK_HEADER_BYTES = 8;
const MESSAGE_HEADER_BYTES = 20;

export const agentMessageTypes = {
  announceCapabilities: 6,
  clipboard: 4,
  clipboardGrab: 7,
  clipboardRequest: 8,
  clipboardRelease: 9,
} as const;

const capabilities = { clipboardByDemand: 5, clipboardSelection: 6 } as const;
const UTF8_TEXT = 1;
const SELECTION_CLIPBOARD = 0;

/** One VDAgentMessage as the guest received it. */
export interface AgentMessage {
  /** VDIChunkHeader.port: 1 from the client, 2 from the server (spice-server's own messages). */
  port: number;
  type: number;
  data: Buffer;
}

/** The bytes of one VDAgentMessage in one chunk to the client port (messages of a clipboard test fit one chunk). */
export function encodeAgentMessage(type: number, data: Buffer): Buffer {
  const message = Buffer.alloc(MESSAGE_HEADER_BYTES + data.length);
  message.writeUInt32LE(VD_AGENT_PROTOCOL, 0);
  message.writeUInt32LE(type, 4);
  message.writeBigUInt64LE(0n, 8);
  message.writeUInt32LE(data.length, 16);
  data.copy(message, MESSAGE_HEADER_BYTES);
  const chunk = Buffer.alloc(CHUNK_HEADER_BYTES);
  chunk.writeUInt32LE(VDP_CLIENT_PORT, 0);
  chunk.writeUInt32LE(message.length, 4);
  return Buffer.concat([chunk, message]);
}

/**
 * Reads the messages of a byte stream of chunks, from `from`; a message may span chunks of its port. Answers the
 * messages and where the first incomplete chunk starts (parse again from there once more bytes came).
 */
export function decodeAgentStream(stream: Buffer, from = 0): { messages: AgentMessage[]; next: number } {
  const messages: AgentMessage[] = [];
  const partial = new Map<number, Buffer>();
  let at = from;
  let next = from;
  while (at + CHUNK_HEADER_BYTES <= stream.length) {
    const port = stream.readUInt32LE(at);
    const size = stream.readUInt32LE(at + 4);
    if (at + CHUNK_HEADER_BYTES + size > stream.length) break;
    let pending = Buffer.concat([partial.get(port) ?? Buffer.alloc(0), stream.subarray(at + CHUNK_HEADER_BYTES, at + CHUNK_HEADER_BYTES + size)]);
    at += CHUNK_HEADER_BYTES + size;
    while (pending.length >= MESSAGE_HEADER_BYTES && pending.length >= MESSAGE_HEADER_BYTES + pending.readUInt32LE(16)) {
      const end = MESSAGE_HEADER_BYTES + pending.readUInt32LE(16);
      messages.push({ port, type: pending.readUInt32LE(4), data: Buffer.from(pending.subarray(MESSAGE_HEADER_BYTES, end)) });
      pending = pending.subarray(end);
    }
    partial.set(port, pending);
    // Resume after the last chunk that completed every message begun so far.
    if ([...partial.values()].every((rest) => rest.length === 0)) next = at;
  }
  return { messages, next };
}

/** A `printf` format writing these bytes exactly: letters and digits as they are, every other byte as an octal escape. */
export function printfFormat(bytes: Buffer): string {
  return [...bytes]
    .map((byte) => (/[A-Za-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`))
    .join('');
}

/** An escaped format per shell line, short enough for busybox ash's line editor (1 024 characters). */
const FORMAT_PER_LINE = 600;

export class GuestAgent {
  /** Every byte the guest received on the port so far, as read back. */
  private received = Buffer.alloc(0);
  /** Where in `received` the first message not yet read starts. */
  private parsedTo = 0;
  /** Messages read and not yet taken by a `waitFor`. */
  private readonly inbox: AgentMessage[] = [];
  /** The peer announced the selection capability: clipboard payloads carry the selection byte. */
  private peerSelection = false;
  private peerAnnounced = false;

  private constructor(
    private readonly serial: SerialConsole,
    readonly device: string,
  ) {}

  /**
   * Opens the agent port in the logged-in shell of `serial` (the guest's QEMU or spice-server sees the agent
   * connect) and announces the clipboard capabilities, asking the peer for its own.
   */
  static async open(serial: SerialConsole): Promise<GuestAgent> {
    const device = await serial.run(`for p in /sys/class/virtio-ports/*; do [ "$(cat $p/name 2>/dev/null)" = ${AGENT_PORT_NAME} ] && echo \${p##*/}; done`);
    if (!/^vport\d+p\d+$/.test(device)) {
      const ports = await serial.run('ls /sys/class/virtio-ports/ 2>&1; cat /sys/class/virtio-ports/*/name 2>&1');
      throw new Error(`the guest has no virtio-serial port named ${AGENT_PORT_NAME}: found ${JSON.stringify(device)} among ${JSON.stringify(ports)}`);
    }
    await serial.run(`rm -f ${INBOX}; exec 3<>/dev/${device}; cat <&3 > ${INBOX} & echo $! > /tmp/vdagent.pid`);
    const agent = new GuestAgent(serial, device);
    await agent.announce(true);
    return agent;
  }

  /** VD_AGENT_ANNOUNCE_CAPABILITIES: clipboard by demand and clipboard selection; `request` asks the peer to announce. */
  async announce(request: boolean): Promise<void> {
    const caps = Buffer.alloc(8);
    caps.writeUInt32LE(request ? 1 : 0, 0);
    caps.writeUInt32LE((1 << capabilities.clipboardByDemand) | (1 << capabilities.clipboardSelection), 4);
    await this.send(agentMessageTypes.announceCapabilities, caps);
  }

  /** Waits for the peer's capabilities (answering its request for ours); true when it takes the clipboard by demand. */
  async peerCapabilities(timeoutMs = 20_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.peerAnnounced) {
      if (Date.now() > deadline) throw new Error(`agent: the peer announced no capabilities within ${timeoutMs} ms`);
      await this.poll();
    }
    return true;
  }

  /** Takes the guest's clipboard with UTF-8 text, then answers the peer's request for it with `text`; resolves once answered. */
  async offerText(text: string, timeoutMs = 30_000): Promise<void> {
    await this.peerCapabilities(timeoutMs);
    const types = Buffer.alloc(4);
    types.writeUInt32LE(UTF8_TEXT, 0);
    await this.send(agentMessageTypes.clipboardGrab, this.withSelection(types));
    const request = await this.waitFor(agentMessageTypes.clipboardRequest, timeoutMs);
    const type = this.payload(request).readUInt32LE(0);
    if (type !== UTF8_TEXT) throw new Error(`agent: the peer asked for clipboard type ${type}, not UTF-8 text`);
    await this.send(agentMessageTypes.clipboard, this.withSelection(Buffer.concat([types, Buffer.from(text, 'utf8')])));
  }

  /** Waits for the peer to take the clipboard (a grab with UTF-8 text), asks for the text and answers it. */
  async receiveText(timeoutMs = 30_000): Promise<string> {
    await this.peerCapabilities(timeoutMs);
    for (;;) {
      const grab = this.payload(await this.waitFor(agentMessageTypes.clipboardGrab, timeoutMs));
      const offered = Array.from({ length: Math.floor(grab.length / 4) }, (_, index) => grab.readUInt32LE(index * 4));
      if (offered.includes(UTF8_TEXT)) break;
    }
    const type = Buffer.alloc(4);
    type.writeUInt32LE(UTF8_TEXT, 0);
    await this.send(agentMessageTypes.clipboardRequest, this.withSelection(type));
    const data = this.payload(await this.waitFor(agentMessageTypes.clipboard, timeoutMs));
    if (data.readUInt32LE(0) !== UTF8_TEXT) throw new Error(`agent: the peer sent clipboard type ${data.readUInt32LE(0)}, not UTF-8 text`);
    // QEMU passes on the VNC extended clipboard's text with its NUL terminator (the RFB spec's C string): not text.
    return data.subarray(4).toString('utf8').replace(/\0$/, '');
  }

  /** Closes the port (the peer sees the agent go) and stops the reader. */
  async close(): Promise<void> {
    await this.serial.run(`kill $(cat /tmp/vdagent.pid) 2>/dev/null; exec 3>&-; rm -f ${INBOX} /tmp/vdagent.pid`);
  }

  /** The next message of `type` from the client port, reading the port's file until it comes. */
  private async waitFor(type: number, timeoutMs: number): Promise<AgentMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as AgentMessage;
      if (Date.now() > deadline) {
        const seen = this.inbox.map((message) => message.type).join(', ');
        throw new Error(`agent: no message of type ${type} within ${timeoutMs} ms (unread: ${seen || 'none'})`);
      }
      await this.poll();
    }
  }

  /** Reads what came on the port since the last read; answers capability requests, keeps the clipboard messages. */
  private async poll(): Promise<void> {
    const hex = await this.serial.run(`od -An -v -tx1 -j ${this.received.length} ${INBOX}`);
    const bytes = hex.match(/[0-9a-f]{2}/g) ?? [];
    if (bytes.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return;
    }
    this.received = Buffer.concat([this.received, Buffer.from(bytes.join(''), 'hex')]);
    const { messages, next } = decodeAgentStream(this.received, this.parsedTo);
    this.parsedTo = next;
    for (const message of messages) {
      if (message.port !== VDP_CLIENT_PORT) continue;
      if (message.type === agentMessageTypes.announceCapabilities) {
        const caps = message.data.length >= 8 ? message.data.readUInt32LE(4) : 0;
        this.peerSelection = (caps & (1 << capabilities.clipboardSelection)) !== 0;
        this.peerAnnounced = (caps & (1 << capabilities.clipboardByDemand)) !== 0 || this.peerAnnounced;
        if (message.data.readUInt32LE(0) === 1) await this.announce(false);
      } else {
        this.inbox.push(message);
      }
    }
  }

  /** A clipboard payload with the selection header when both sides announced the selection capability. */
  private withSelection(data: Buffer): Buffer {
    if (!this.peerSelection) return data;
    const header = Buffer.alloc(4);
    header.writeUInt8(SELECTION_CLIPBOARD, 0);
    return Buffer.concat([header, data]);
  }

  /** A received clipboard message's payload without its selection header. */
  private payload(message: AgentMessage): Buffer {
    return this.peerSelection ? message.data.subarray(4) : message.data;
  }

  private async send(type: number, data: Buffer): Promise<void> {
    const format = printfFormat(encodeAgentMessage(type, data));
    // Cut between escapes, never inside one.
    for (let at = 0; at < format.length;) {
      let end = Math.min(format.length, at + FORMAT_PER_LINE);
      const escape = format.lastIndexOf('\\', end - 1);
      if (end < format.length && escape > end - 4) end = escape;
      await this.serial.run(`printf '${format.slice(at, end)}' >&3`);
      at = end;
    }
  }
}
