/**
 * TLS material for QEMU's TLS-only SPICE ports: a lab CA and one server
 * certificate, written with the file names QEMU's `-spice x509-dir=` reads
 * (ca-cert.pem, server-cert.pem, server-key.pem).
 *
 * `hostSubject` is what PVE's spiceproxy answer calls `host-subject` and what
 * remote-viewer (spice-gtk) compares with the server certificate's subject
 * instead of the host name: the subject's RDNs as a comma-separated list in
 * the order they appear in the certificate, `KEY=value` without spaces after
 * the commas, e.g. `OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve1.lab`
 * (that is PVE's own format). The certificate is issued with exactly this
 * subject so the two agree.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpiceTlsMaterial } from '../contracts';
import { createCa, createSignedCertificate } from '../openssl-certificates';

export const DEFAULT_SPICE_HOST_SUBJECT = 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=lab-node.lab';

/** `A=x,B=y` (host-subject syntax) → `/A=x/B=y` (openssl -subj syntax), in the same order. */
export function hostSubjectToOpensslSubj(hostSubject: string): string {
  return hostSubject
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `/${part.replace(/\//g, '\\/')}`)
    .join('');
}

/**
 * Creates (or reuses, when the files are already there for the same subject)
 * a CA and a server certificate signed by it in `dir`.
 */
export async function prepareSpiceTls(dir: string, hostSubject = DEFAULT_SPICE_HOST_SUBJECT): Promise<SpiceTlsMaterial> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const subjectFile = join(dir, 'host-subject.txt');
  const complete = ['ca-cert.pem', 'server-cert.pem', 'server-key.pem'].every((name) => existsSync(join(dir, name)));
  const sameSubject = existsSync(subjectFile) && (await readFile(subjectFile, 'utf8')) === hostSubject;
  if (!complete || !sameSubject) {
    const ca = { keyPath: join(dir, 'ca-key.pem'), certPath: join(dir, 'ca-cert.pem') };
    await createCa(ca, '/O=PVE Desk Lab/CN=PVE Desk Lab CA');
    await createSignedCertificate({ keyPath: join(dir, 'server-key.pem'), certPath: join(dir, 'server-cert.pem') }, hostSubjectToOpensslSubj(hostSubject), ca, [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    await writeFile(subjectFile, hostSubject);
  }
  return { caPem: await readFile(join(dir, 'ca-cert.pem'), 'utf8'), hostSubject, x509Dir: dir };
}
