import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, createSignedCertificate } from '../openssl-certificates';

/** A PEM file on disk with its SHA-256 fingerprint, colon-separated uppercase hex (as PVE's GUI and `pvenode cert info` show it). */
export interface PemFile {
  path: string;
  pem: string;
  fingerprint: string;
}

export interface NodeCertificate extends PemFile {
  key: string;
}

export interface ClusterCa extends PemFile {
  keyPath: string;
}

/** A node's full host name (PVE: `hostname -f`), in its certificate and in spiceproxy answers given no `proxy`. */
export function nodeHostName(node: string): string {
  return `${node}.lab`;
}

function pemFile(path: string): PemFile {
  const pem = readFileSync(path, 'utf8');
  return { path, pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}

/** The cluster CA, like PVE's /etc/pve/pve-root-ca.pem: created once per state dir, it signs every node's certificate. */
export async function clusterCa(dir: string, clusterName: string): Promise<ClusterCa> {
  const keyPath = join(dir, 'pve-root-ca.key');
  const path = join(dir, 'pve-root-ca.pem');
  if (!existsSync(keyPath) || !existsSync(path)) {
    await createCa({ keyPath, certPath: path }, `/CN=Proxmox Virtual Environment/OU=${clusterName}/O=PVE Cluster Manager CA`);
  }
  return { ...pemFile(path), keyPath };
}

/**
 * A node's own certificate, like PVE's /etc/pve/nodes/<node>/pve-ssl.pem:
 * signed by the cluster CA, created once per node folder. Every node has a
 * different one, so a client pinning one node's fingerprint has not pinned
 * the others.
 */
export async function nodeCertificate(nodeDir: string, node: string, ca: ClusterCa): Promise<NodeCertificate> {
  const keyPath = join(nodeDir, 'pve-ssl.key');
  const path = join(nodeDir, 'pve-ssl.pem');
  if (!existsSync(keyPath) || !existsSync(path)) {
    await createSignedCertificate(
      { keyPath, certPath: path },
      `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${nodeHostName(node)}`,
      { keyPath: ca.keyPath, certPath: ca.path },
      [`subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost,DNS:${node},DNS:${nodeHostName(node)}`, 'basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth'],
    );
  }
  return { ...pemFile(path), key: readFileSync(keyPath, 'utf8') };
}
