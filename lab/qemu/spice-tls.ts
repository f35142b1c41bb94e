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
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SpiceTlsMaterial } from '../contracts';

const execFileAsync = promisify(execFile);

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

async function openssl(args: string[], cwd: string): Promise<void> {
  await execFileAsync('openssl', args, { cwd });
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
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '3650',
        '-keyout',
        'ca-key.pem',
        '-out',
        'ca-cert.pem',
        '-subj',
        '/O=PVE Desk Lab/CN=PVE Desk Lab CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    await openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', hostSubjectToOpensslSubj(hostSubject)],
      dir,
    );
    await writeFile(
      join(dir, 'server-ext.cnf'),
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca-cert.pem',
        '-CAkey',
        'ca-key.pem',
        '-CAcreateserial',
        '-days',
        '3650',
        '-sha256',
        '-extfile',
        'server-ext.cnf',
        '-out',
        'server-cert.pem',
      ],
      dir,
    );
    await writeFile(subjectFile, hostSubject);
  }
  return { caPem: await readFile(join(dir, 'ca-cert.pem'), 'utf8'), hostSubject, x509Dir: dir };
}
