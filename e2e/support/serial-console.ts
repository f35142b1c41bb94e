/**
 * A guest's serial console as PVE serves it to any client: `POST
 * .../termproxy` with `serial=serial0`, then the `vncwebsocket` with the
 * ticket, in termproxy's framing (`0:<length>:<data>` for input, raw bytes
 * out). It reaches the guest wherever its QEMU runs, so a test can read the
 * console before and after a migration by opening it again on the new node.
 */
import WebSocket from 'ws';
import { call, type Credentials } from '../../lab/api/lab-harness';
import type { ClusterApi } from './shared-lab';

/** busybox ash's prompt (`PS1="\h:\w# "`), followed on a serial line by its cursor-position query (ESC [6n). */
/** How the console types: 8 bytes, then a pause long enough for the guest to empty its UART FIFO. */
const typedChunk = 8;
const typedPauseMs = 15;

const SHELL_PROMPT = new RegExp(`# (?:${String.fromCharCode(0x1b)}\\[6n)?$`);

export class SerialConsole {
  private text = '';
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.text += data.toString('utf8');
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  /** Opens guest `vmid`'s serial0 on `node` through termproxy, authenticated as `auth` (a token or a ticket). */
  static async open(api: ClusterApi, auth: Credentials, node: string, vmid: number): Promise<SerialConsole> {
    const path = `/nodes/${node}/qemu/${vmid}`;
    const answer = await call(api, 'POST', `${path}/termproxy`, { auth, params: { serial: 'serial0' } });
    if (answer.status !== 200) throw new Error(`termproxy of ${vmid} on ${node}: ${answer.status} ${answer.statusMessage}`);
    const { port, ticket, user } = answer.body.data as { port: string; ticket: string; user: string };
    const url = `${api.api.replace('https:', 'wss:')}/api2/json${path}/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`;
    const headers: Record<string, string> = {};
    if (auth.token !== undefined) headers.Authorization = `PVEAPIToken=${auth.token}`;
    if (auth.ticket !== undefined) headers.Cookie = `PVEAuthCookie=${encodeURIComponent(auth.ticket)}`;
    const socket = new WebSocket(url, ['binary'], { ca: api.ca, headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const console = new SerialConsole(socket);
    socket.send(Buffer.from(`${user}:${ticket}\n`));
    await console.waitFor(/^OK/, 10_000, 0);
    return console;
  }

  /** Everything the guest printed since the console opened. */
  get output(): string {
    return this.text;
  }

  /** The socket closed: the guest's QEMU went away (stopped, or migrated to another node). */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Types text into the console a few bytes at a time: the guest's 16550 UART has a 16-byte FIFO and no flow control,
   * so a long line sent at once loses characters while an emulated (TCG) guest is busy.
   */
  async send(text: string): Promise<void> {
    for (let at = 0; at < text.length; at += typedChunk) {
      const chunk = text.slice(at, at + typedChunk);
      this.socket.send(Buffer.from(`0:${Buffer.byteLength(chunk)}:${chunk}`));
      if (at + typedChunk < text.length) await new Promise((resolve) => setTimeout(resolve, typedPauseMs));
    }
  }

  /** Waits until the output from `from` on matches; sends `poke` every 2 s meanwhile (Enter wakes getty). */
  async waitFor(pattern: RegExp, timeoutMs: number, from = this.text.length, poke?: string): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let lastPoke = 0;
    for (;;) {
      const match = pattern.exec(this.text.slice(from));
      if (match) return match;
      if (this.closed) throw new Error(`serial closed before ${pattern}; got: ${JSON.stringify(this.text.slice(-400))}`);
      if (Date.now() > deadline) throw new Error(`serial: no ${pattern} within ${timeoutMs} ms; got: ${JSON.stringify(this.text.slice(-400))}`);
      if (poke !== undefined && Date.now() - lastPoke > 2000) {
        await this.send(poke);
        lastPoke = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits for a prompt: getty's login, or the shell's when a session is still open (pressing Enter to wake getty). */
  async waitForPrompt(timeoutMs: number, from = this.text.length): Promise<RegExpExecArray> {
    return await this.waitFor(new RegExp(`login: $|${SHELL_PROMPT.source}`), timeoutMs, from, '\r');
  }

  /** Gets a prompt (login or, when a session is still open, the shell's) and logs in as root with the guest password. */
  async login(password: string, timeoutMs = 90_000): Promise<void> {
    const from = this.text.length;
    const prompt = await this.waitForPrompt(timeoutMs, from);
    if (!prompt[0].startsWith('login')) return;
    const asked = this.text.length;
    await this.send('root\r');
    await this.waitFor(/Password: $/, 10_000, asked);
    await this.send(`${password}\r`);
    await this.waitFor(SHELL_PROMPT, 20_000, asked);
  }

  /** Runs a shell command in the logged-in session and returns what it printed, trimmed. */
  async run(command: string, timeoutMs = 20_000): Promise<string> {
    const id = `${Date.now()}_${Math.random().toString(36).slice(2)}`;
    const from = this.text.length;
    // The markers are quoted apart in the command, so its echo (which the line editor may wrap anywhere) never matches them.
    await this.send(`echo __out''_${id}__; ${command}; echo __end''_${id}__\r`);
    const match = await this.waitFor(new RegExp(`__out_${id}__\\r?\\n([\\s\\S]*?)__end_${id}__`), timeoutMs, from);
    return (match[1] ?? '').replace(/\r/g, '').trim();
  }

  close(): void {
    this.socket.close();
  }
}

/** The guest's first disk as its kernel names it (`sda` for SCSI, `vda` for VirtIO block), read from /sys/block. */
export async function firstDisk(serial: SerialConsole): Promise<string> {
  const names = (await serial.run('ls /sys/block')).split(/\s+/);
  const disk = names.find((name) => /^(sd|vd)[a-z]$/.test(name));
  if (disk === undefined) throw new Error(`the guest sees no disk: /sys/block has ${JSON.stringify(names)}`);
  return disk;
}

/** A disk's size in bytes as the guest's kernel sees it (`/sys/block/<dev>/size` counts 512-byte sectors). */
export async function diskBytesInGuest(serial: SerialConsole, disk: string): Promise<number> {
  return Number(await serial.run(`cat /sys/block/${disk}/size`)) * 512;
}
