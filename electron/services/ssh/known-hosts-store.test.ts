import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { hostKeyFingerprint, hostKeyType } from './host-key';
import { KnownHostsStore } from './known-hosts-store';

// The blob of an ed25519 public key: string "ssh-ed25519", string <32 bytes>.
function ed25519Blob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill);
  const length = (n: number) => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([length(type.length), type, length(key.length), key]);
}

describe('host key fingerprints', () => {
  it('reads the key type from the blob and formats SHA256 like OpenSSH, without padding', () => {
    const blob = ed25519Blob(7);
    expect(hostKeyType(blob)).toBe('ssh-ed25519');
    expect(hostKeyFingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(hostKeyType(Buffer.from([0, 0]))).toBe('unknown');
  });
});

describe('KnownHostsStore', () => {
  it('pins per host and port, IPv6 in brackets, across instances, and forgets on request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pve-desk-known-hosts-'));
    const store = new KnownHostsStore(dir, silentLogger);
    const pin = { fingerprint: hostKeyFingerprint(ed25519Blob(1)), keyType: 'ssh-ed25519' };
    await store.pin('Node1.Lab', 22, pin);
    await store.pin('::1', 2222, { ...pin, fingerprint: hostKeyFingerprint(ed25519Blob(2)) });
    const reread = new KnownHostsStore(dir, silentLogger);
    expect(await reread.lookup('node1.lab', 22)).toMatchObject(pin);
    expect(await reread.lookup('node1.lab', 2222)).toBeUndefined();
    expect((await reread.list()).map((entry) => entry.hostPort).sort()).toEqual(['[::1]:2222', 'node1.lab:22']);
    expect(await reread.forget('node1.lab', 22)).toBe(true);
    expect(await store.lookup('node1.lab', 22)).toBeUndefined();
    expect(await store.forget('node1.lab', 22)).toBe(false);
  });
});
