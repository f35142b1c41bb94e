import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostKeyFingerprint } from '../../ssh';
import { lastProgressBytes, readSegmentCommand, segmentsFrom, writeSegmentCommand } from './capture';
import { authorizedKeyLine, pinnedKeyLines } from './temporary-key';

const MiB = 1024 * 1024;

describe('capture commands', () => {
  it('cuts the device into segments from the resume point rounded down to 1 MiB', () => {
    expect(segmentsFrom(0, 600 * MiB, 256 * MiB)).toEqual([
      { offset: 0, length: 256 * MiB },
      { offset: 256 * MiB, length: 256 * MiB },
      { offset: 512 * MiB, length: 88 * MiB },
    ]);
    expect(segmentsFrom(300 * MiB + 12_345, 600 * MiB, 256 * MiB)).toEqual([
      { offset: 300 * MiB, length: 256 * MiB },
      { offset: 556 * MiB, length: 44 * MiB },
    ]);
    expect(segmentsFrom(600 * MiB, 600 * MiB)).toEqual([]);
  });

  it('reads and writes byte ranges with GNU dd, zero blocks skipped and the staging file never truncated', () => {
    expect(readSegmentCommand('/dev/sda', { offset: 256 * MiB, length: MiB })).toBe(
      `dd if=/dev/sda iflag=skip_bytes,count_bytes skip=${256 * MiB} count=${MiB} bs=1M status=none`,
    );
    expect(writeSegmentCommand("/var/tmp/p2v.x/it's.raw", { offset: 3, length: 5 }, true)).toBe(
      `dd 'of=/var/tmp/p2v.x/it'\\''s.raw' conv=sparse,notrunc,fsync iflag=fullblock oflag=seek_bytes seek=3 bs=1M status=progress`,
    );
  });

  it('really copies a byte range that way (the same dd commands, run here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2v-capture-'));
    try {
      const source = join(dir, 'source');
      const target = join(dir, 'target');
      execFileSync('sh', ['-c', `head -c ${3 * MiB + 7} /dev/urandom > ${source} && truncate -s ${4 * MiB} ${target}`]);
      const segment = { offset: MiB + 5, length: 2 * MiB };
      execFileSync('bash', ['-c', `set -o pipefail; ${readSegmentCommand(source, segment)} | ${writeSegmentCommand(target, segment, false)}`]);
      const [a, b] = [readFileSync(source), readFileSync(target)];
      expect(b.length).toBe(4 * MiB);
      expect(b.subarray(segment.offset, segment.offset + segment.length).equals(a.subarray(segment.offset, segment.offset + segment.length))).toBe(true);
      expect(b.subarray(0, segment.offset).every((byte) => byte === 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads dd's progress lines", () => {
    expect(lastProgressBytes('1048576 bytes (1.0 MB, 1.0 MiB) copied, 1 s, 1.0 MB/s\r20971520 bytes (21 MB, 20 MiB) copied, 2 s, 10 MB/s\r')).toBe(20971520);
    expect(lastProgressBytes('0+0 records in\n')).toBeUndefined();
  });
});

describe('the temporary key', () => {
  it('keeps only the scanned host key with the pinned fingerprint', () => {
    const blob = Buffer.from('0000000b7373682d656432353531390000002011111111111111111111111111111111111111111111111111111111111111111', 'hex');
    const other = Buffer.from('0000000b7373682d656432353531390000002022222222222222222222222222222222222222222222222222222222222222222', 'hex');
    const scan = `# 127.0.0.1:2222 SSH-2.0-OpenSSH_9.2\n[127.0.0.1]:2222 ssh-ed25519 ${blob.toString('base64')}\n[127.0.0.1]:2222 ssh-rsa ${other.toString('base64')}\n`;
    expect(pinnedKeyLines(scan, hostKeyFingerprint(blob))).toEqual({ matching: [`[127.0.0.1]:2222 ssh-ed25519 ${blob.toString('base64')}`], seen: 2 });
    expect(pinnedKeyLines(scan, 'SHA256:nothing').matching).toEqual([]);
    expect(pinnedKeyLines('', 'SHA256:x').seen).toBe(0);
  });

  it('is restricted, and only from the node once its address is known', () => {
    expect(authorizedKeyLine('ssh-ed25519 AAAA pve-desk-p2v-0123456789ab', undefined)).toBe('restrict ssh-ed25519 AAAA pve-desk-p2v-0123456789ab');
    expect(authorizedKeyLine('ssh-ed25519 AAAA c', '192.0.2.7')).toBe('from="192.0.2.7",restrict ssh-ed25519 AAAA c');
    expect(() => authorizedKeyLine('ssh-ed25519 AAAA c', '1.2.3.4",command="sh')).toThrow(RangeError);
  });
});
