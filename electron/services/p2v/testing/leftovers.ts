/**
 * What a migration may leave behind, seen from outside the app: through the cluster's API (a VM with the job's
 * VMID, a volume of it on any storage of any node) and over SSH on the node (files and folders under its storages,
 * where the work dir and the staging copy go). A rolled-back job must leave none of it.
 */
import { call, type Credentials } from '../../../../lab/api/lab-harness';
import type { SshSession } from '../../ssh';

interface LabApi {
  api: string;
  ca: string;
}

/** A command's standard output on the node; fails with its stderr when it exits non-zero. */
export async function nodeOutput(ssh: SshSession, command: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  const result = await ssh.exec(command, { onStdout: (chunk) => (stdout += chunk.toString()), onStderr: (chunk) => (stderr += chunk.toString()) });
  if (result.exitCode !== 0) throw new Error(`"${command}" on the node exited ${result.exitCode ?? result.signal}: ${stderr.trim()}`);
  return stdout;
}

/**
 * Every file under the node's storage folders (the lab's sshd names them in `LAB_STORAGE_<ID>`), sorted: take it
 * before a job and after its rollback, the two lists must be equal. Folders are left out (a dir storage keeps the
 * empty `images/<vmid>` folder of a deleted VM, as PVE does); check the job's own folders with `nodePathExists`.
 */
export async function nodeStorageEntries(ssh: SshSession): Promise<string[]> {
  const listing = await nodeOutput(
    ssh,
    `env | sed -n 's/^LAB_STORAGE_[A-Z0-9_]*=//p' | while IFS= read -r dir; do find "$dir" -mindepth 1 ! -type d; done | sort`,
  );
  return listing.split('\n').filter((line) => line !== '');
}

/** Whether a path exists on the node. */
export async function nodePathExists(ssh: SshSession, path: string): Promise<boolean> {
  const quoted = `'${path.replaceAll("'", `'\\''`)}'`;
  return (await nodeOutput(ssh, `if test -e ${quoted}; then echo yes; else echo no; fi`)).trim() === 'yes';
}

/** What the API still shows of `vmid`: the VM itself on any node, any volume of it on any storage of any node. */
export async function clusterLeftovers(lab: LabApi, auth: Credentials, vmid: number): Promise<string[]> {
  const found: string[] = [];
  const get = async <T>(path: string, params?: Record<string, string | number>): Promise<T> => {
    const answer = await call(lab, 'GET', path, { auth, ...(params ? { params } : {}) });
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.statusMessage}`);
    return answer.body.data as T;
  };
  const guests = await get<{ vmid: number; node: string }[]>('/cluster/resources', { type: 'vm' });
  for (const guest of guests.filter((entry) => entry.vmid === vmid)) found.push(`VM ${vmid} on ${guest.node}`);
  for (const { node } of await get<{ node: string; status: string }[]>('/nodes')) {
    for (const { storage, shared } of await get<{ storage: string; shared?: number }[]>(`/nodes/${node}/storage`)) {
      const volumes = await get<{ volid: string }[]>(`/nodes/${node}/storage/${storage}/content`, { vmid });
      // A shared storage shows its volumes on every node: named once.
      for (const { volid } of volumes) found.push(shared === 1 ? `volume ${volid}` : `volume ${volid} on ${node}`);
    }
  }
  return [...new Set(found)];
}
