import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { vncAuthResponse as referenceVncAuthResponse } from '../../../../lab/consoles/testing/vnc-des';
import { ByteQueue } from '../relay/byte-queue';
import { ConsoleRelayError } from '../relay/close-viewer';
import { authenticateUpstream, greetViewer } from './rfb-auth-relay';
import { vncAuthResponse } from './vnc-des';

const version = Buffer.from('RFB 003.008\n', 'latin1');

/** One side of a handshake played by the test: what the relay wrote (in order), and the bytes it is fed. */
function scripted(): { bytes: ByteQueue; written: Buffer[]; write: (data: Buffer) => void; nextWrite: () => Promise<Buffer> } {
  const written: Buffer[] = [];
  const waiters: ((data: Buffer) => void)[] = [];
  let taken = 0;
  return {
    bytes: new ByteQueue(),
    written,
    write: (data) => {
      written.push(data);
      if (waiters.length > 0) {
        taken += 1;
        waiters.shift()?.(data);
      }
    },
    nextWrite: () => {
      const ready = written[taken];
      if (ready !== undefined) {
        taken += 1;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

function reason(text: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  return Buffer.concat([length, Buffer.from(text, 'latin1')]);
}

describe('VNC authentication (DES)', () => {
  it('answers a challenge as an independent plain-DES implementation does, for passwords of any length', () => {
    for (const password of ['', 'a', 'Tk#&:9!`', 'longer than eight characters', '\u00e9t\u00e9']) {
      const challenge = randomBytes(16);
      expect(vncAuthResponse(password, challenge).toString('hex'), password).toBe(referenceVncAuthResponse(password, challenge).toString('hex'));
    }
  });

  it('matches a fixed answer, so both implementations cannot drift together', () => {
    const challenge = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(vncAuthResponse('password', challenge).toString('hex')).toBe(referenceVncAuthResponse('password', challenge).toString('hex'));
    expect(vncAuthResponse('password', challenge)).toHaveLength(16);
    expect(() => vncAuthResponse('password', Buffer.alloc(8))).toThrow(RangeError);
  });
});

describe('the RFB handshake toward QEMU', () => {
  it('speaks RFB 3.8, picks VNC authentication and answers the challenge with the password, byte for byte', async () => {
    const server = scripted();
    const done = authenticateUpstream(server.bytes, server.write, 'Tk#&:9!`');
    server.bytes.push(version);
    expect(await server.nextWrite()).toEqual(version);
    server.bytes.push(Buffer.of(2, 1, 2));
    expect([...(await server.nextWrite())]).toEqual([2]);
    const challenge = randomBytes(16);
    server.bytes.push(challenge);
    expect((await server.nextWrite()).equals(referenceVncAuthResponse('Tk#&:9!`', challenge))).toBe(true);
    server.bytes.push(Buffer.alloc(4));
    await done;
    expect(server.written).toHaveLength(3);
  });

  it('takes the security types, challenge and result however the bytes are split', async () => {
    const server = scripted();
    const challenge = randomBytes(16);
    const all = Buffer.concat([version, Buffer.of(1, 2), challenge, Buffer.alloc(4)]);
    for (const byte of all) server.bytes.push(Buffer.of(byte));
    await authenticateUpstream(server.bytes, server.write, 'secret');
    expect(Buffer.concat(server.written).equals(Buffer.concat([version, Buffer.of(2), vncAuthResponse('secret', challenge)]))).toBe(true);
  });

  it('reports a refused password as authFailed with the server reason', async () => {
    const server = scripted();
    server.bytes.push(Buffer.concat([version, Buffer.of(1, 2), randomBytes(16), Buffer.of(0, 0, 0, 1), reason('Authentication failed')]));
    const failure = await authenticateUpstream(server.bytes, server.write, 'wrong').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConsoleRelayError);
    expect(failure).toMatchObject({ reason: 'authFailed', message: expect.stringContaining('Authentication failed') });
  });

  it('reports a server that refuses at once (no security types) as authFailed', async () => {
    const server = scripted();
    server.bytes.push(Buffer.concat([version, Buffer.of(0), reason('Too many security failures')]));
    await expect(authenticateUpstream(server.bytes, server.write, 'x')).rejects.toMatchObject({ reason: 'authFailed' });
  });

  it('refuses another RFB version and unknown security types as protocol errors', async () => {
    const old = scripted();
    old.bytes.push(Buffer.from('RFB 003.003\n', 'latin1'));
    await expect(authenticateUpstream(old.bytes, old.write, 'x')).rejects.toMatchObject({ reason: 'protocolError' });
    expect(old.written).toHaveLength(0);
    const odd = scripted();
    odd.bytes.push(Buffer.concat([version, Buffer.of(2, 16, 19)]));
    await expect(authenticateUpstream(odd.bytes, odd.write, 'x')).rejects.toMatchObject({ reason: 'protocolError' });
  });

  it('fails when the server closes mid-handshake', async () => {
    const server = scripted();
    server.bytes.push(version.subarray(0, 5));
    const done = authenticateUpstream(server.bytes, server.write, 'x');
    server.bytes.fail(new ConsoleRelayError('authFailed', 'closed'));
    await expect(done).rejects.toMatchObject({ reason: 'authFailed' });
  });
});

describe('the RFB handshake toward the viewer', () => {
  it('offers RFB 3.8 with security type None only, then SecurityResult OK, byte for byte', async () => {
    const viewer = scripted();
    const done = greetViewer(viewer.bytes, viewer.write);
    expect(await viewer.nextWrite()).toEqual(version);
    viewer.bytes.push(version);
    expect([...(await viewer.nextWrite())]).toEqual([1, 1]);
    viewer.bytes.push(Buffer.of(1));
    expect([...(await viewer.nextWrite())]).toEqual([0, 0, 0, 0]);
    await done;
    // The viewer's ClientInit stays queued for the server.
    viewer.bytes.push(Buffer.of(1));
    expect([...viewer.bytes.rest()]).toEqual([1]);
  });

  it('refuses a viewer that asks for VNC authentication or speaks another version', async () => {
    const picky = scripted();
    picky.bytes.push(Buffer.concat([version, Buffer.of(2)]));
    await expect(greetViewer(picky.bytes, picky.write)).rejects.toMatchObject({ reason: 'protocolError' });
    const old = scripted();
    old.bytes.push(Buffer.from('RFB 003.003\n', 'latin1'));
    await expect(greetViewer(old.bytes, old.write)).rejects.toMatchObject({ reason: 'protocolError' });
  });
});
