/**
 * The node's `pvesm path` against the lab's own idea of where volumes live
 * (StorageRegistry.resolve, which the API serves), run as a node session
 * runs it: with the node's LAB_STORAGE_<ID> folders.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { StorageRegistry } from '../cluster/storage';

const run = promisify(execFile);
const PVESM = fileURLToPath(new URL('./bin/pvesm', import.meta.url));
const registry = new StorageRegistry('/lab/cluster', (node) => `/lab/cluster/nodes/${node}`);
const env = { PATH: process.env.PATH ?? '', ...Object.fromEntries(registry.storages.map((s) => [`LAB_STORAGE_${s.id.toUpperCase()}`, s.pathOn('pve1')])) };

async function pvesm(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(PVESM, args, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('pvesm path on a lab node', () => {
  it("prints the path the lab's storages give every kind of volume", async () => {
    for (const volid of [
      'local:100/vm-100-disk-0.qcow2',
      'shared:9000/base-9000-disk-0.raw',
      'local:iso/debian-12.iso',
      'shared:import/p2v-staging.raw',
      'local:import/win 11.vmdk',
      'local:backup/vzdump-qemu-100-2026_01_01-00_00_00.vma.zst',
    ]) {
      expect(await pvesm('path', volid), volid).toEqual({ code: 0, stdout: `${registry.resolve(volid, 'pve1')}\n`, stderr: '' });
    }
  });

  it("names a linked clone's own file, as Plugin.pm filesystem_path does", async () => {
    expect((await pvesm('path', 'local:9000/base-9000-disk-0.qcow2/101/vm-101-disk-0.qcow2')).stdout).toBe(
      '/lab/cluster/nodes/pve1/local/images/101/vm-101-disk-0.qcow2\n',
    );
  });

  it("fails with pve-storage's messages and exit status 255", async () => {
    const cases: [string[], string][] = [
      [['path', 'no volume'], "400 Parameter verification failed.\nvolume: invalid format - unable to parse volume ID 'no volume'\n"],
      [['path', 'nfs1:import/a.raw'], "storage 'nfs1' does not exist\n"],
      [['path', 'local:import/notes.txt'], "unable to parse directory volume name 'import/notes.txt'\n"],
      [['path', 'local:100/disk'], "unable to parse volume filename 'disk'\n"],
      [['path'], '400 not enough arguments\npvesm path <volume>\n'],
      [['status'], "400 unknown command 'pvesm status'\npvesm path ...\n"],
    ];
    for (const [args, stderr] of cases) expect(await pvesm(...args), args.join(' ')).toEqual({ code: 255, stdout: '', stderr });
  });
});
