import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { TermproxyFrameParser, type TermproxyFrame } from '../../../../lab/consoles/termproxy-frames';
import { waitFor } from '../../../../lab/api/lab-harness';
import { parseTerminalControl } from './terminal-upstream';
import { startTermproxy, termproxyInputFrame, termproxyResizeFrame } from './termproxy-upstream';

/** A fake vncwebsocket in front of termproxy: checks the login line, answers `OK` plus a greeting, parses frames. */
interface FakeTermproxy {
  lines: string[];
  frames: TermproxyFrame[];
  server: WebSocket | undefined;
}

describe('termproxy framing', () => {
  it('frames input with its length in bytes, whatever the characters', () => {
    const text = Buffer.from('é€😀', 'utf8');
    expect(text).toHaveLength(9);
    expect(termproxyInputFrame(text).toString('utf8')).toBe('0:9:é€😀');
    expect(termproxyInputFrame(Buffer.alloc(0)).toString()).toBe('0:0:');
    expect(termproxyResizeFrame(120, 40).toString()).toBe('1:120:40:');
    // termproxy's own parser (the lab's, written from pve-xtermjs) reads them back.
    const parser = new TermproxyFrameParser();
    expect(parser.push(Buffer.concat([termproxyInputFrame(text), termproxyResizeFrame(120, 40), Buffer.from('2')]))).toEqual([
      { type: 'data', data: text },
      { type: 'resize', cols: 120, rows: 40 },
      { type: 'ping' },
    ]);
  });

  it('accepts only well-formed resize messages from the viewer', () => {
    expect(parseTerminalControl('{"type":"resize","cols":100,"rows":30}')).toEqual({ type: 'resize', cols: 100, rows: 30 });
    for (const garbage of [
      '',
      'resize',
      '{"type":"resize","cols":0,"rows":30}',
      '{"type":"resize","cols":1.5,"rows":3}',
      '{"type":"other"}',
      '{"type":"resize","cols":80,"rows":24,"x":1}',
      '[]',
    ]) {
      expect(() => parseTerminalControl(garbage), garbage).toThrow();
    }
  });
});

describe('a termproxy session', () => {
  let wss: WebSocketServer;
  let fake: FakeTermproxy;
  let accept: boolean;

  beforeEach(async () => {
    fake = { lines: [], frames: [], server: undefined };
    accept = true;
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (socket) => {
      fake.server = socket;
      const parser = new TermproxyFrameParser();
      let loggedIn = false;
      socket.on('message', (data: Buffer) => {
        if (!loggedIn) {
          fake.lines.push(data.toString('utf8'));
          loggedIn = true;
          if (accept) socket.send(Buffer.from('OKwelcome\r\n'));
          else socket.close();
          return;
        }
        fake.frames.push(...parser.push(data));
      });
    });
  });
  afterEach(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });

  async function client(): Promise<WebSocket> {
    const socket = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    await new Promise((resolve) => socket.once('open', resolve));
    return socket;
  }

  it('logs in with `<user>:<ticket>\\n`, passes what follows OK as output, and frames input and resizes', async () => {
    const terminal = await startTermproxy(await client(), { user: 'root@pam', ticket: 'PVEVNC:ABC::sig+/=' });
    expect(fake.lines).toEqual(['root@pam:PVEVNC:ABC::sig+/=\n']);
    const output: Buffer[] = [];
    terminal.stream.on('data', (chunk: Buffer) => output.push(chunk));
    await waitFor('the greeting', () => (Buffer.concat(output).toString() === 'welcome\r\n' ? true : undefined));

    terminal.stream.write(Buffer.from('echo é€😀\n', 'utf8'));
    terminal.resize(132, 43);
    await waitFor('two frames', () => (fake.frames.length >= 2 ? true : undefined));
    expect(fake.frames).toEqual([
      { type: 'data', data: Buffer.from('echo é€😀\n', 'utf8') },
      { type: 'resize', cols: 132, rows: 43 },
    ]);
    fake.server?.send(Buffer.from('more'));
    await waitFor('more output', () => (Buffer.concat(output).toString().endsWith('more') ? true : undefined));

    // termproxy ending ends the stream.
    const closed = new Promise((resolve) => terminal.stream.once('close', resolve));
    fake.server?.close();
    await closed;
  });

  it('fails as authFailed when termproxy closes instead of answering OK', async () => {
    accept = false;
    await expect(startTermproxy(await client(), { user: 'root@pam', ticket: 'bad' })).rejects.toMatchObject({ reason: 'authFailed' });
  });
});
