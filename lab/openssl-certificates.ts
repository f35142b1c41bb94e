/**
 * The lab's certificates, made with the openssl command line as PVE's own
 * tools make theirs: a self-signed CA, and certificates it signs. Both the
 * cluster's node certificates and QEMU's SPICE TLS material are made here.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where a key and its certificate are written (PEM). */
export interface KeyAndCertificatePaths {
  keyPath: string;
  certPath: string;
}

/** RSA 2048, SHA-256, ten years, key unencrypted: the lab keeps no passphrases. */
const NEW_KEY_AND_CERTIFICATE = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650'];

/** The arguments that make a key and a certificate for `subject`, written to `files`, with `extensions` (openssl -addext lines). */
const newKeyAndCertificate = (files: KeyAndCertificatePaths, subject: string, extensions: string[]): string[] => [
  ...NEW_KEY_AND_CERTIFICATE,
  '-keyout',
  files.keyPath,
  '-out',
  files.certPath,
  '-subj',
  subject,
  ...extensions.flatMap((extension) => ['-addext', extension]),
];

/** A self-signed CA that may sign certificates and revocation lists only. `subject` in openssl -subj syntax. */
export async function createCa(files: KeyAndCertificatePaths, subject: string): Promise<void> {
  await run('openssl', newKeyAndCertificate(files, subject, ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign']));
}

/** A new key and a certificate for it signed by `ca`, with `extensions` (openssl -addext lines). */
export async function createSignedCertificate(files: KeyAndCertificatePaths, subject: string, ca: KeyAndCertificatePaths, extensions: string[]): Promise<void> {
  await run('openssl', [...newKeyAndCertificate(files, subject, extensions), '-CA', ca.certPath, '-CAkey', ca.keyPath]);
}
