import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ApiCertificate {
  key: string;
  cert: string;
  /** SHA-256 fingerprint, colon-separated uppercase hex (as PVE's GUI and `pvenode cert info` show it). */
  fingerprint: string;
  certPath: string;
}

/** A self-signed certificate per cluster, like PVE's pve-ssl.pem; created once per state dir. */
export async function apiCertificate(dir: string, clusterName: string): Promise<ApiCertificate> {
  const keyPath = join(dir, 'pve-ssl.key');
  const certPath = join(dir, 'pve-ssl.pem');
  if (!existsSync(keyPath) || !existsSync(certPath)) {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${clusterName}.lab`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
  }
  const cert = readFileSync(certPath, 'utf8');
  return { key: readFileSync(keyPath, 'utf8'), cert, fingerprint: new X509Certificate(cert).fingerprint256, certPath };
}
