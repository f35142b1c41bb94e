import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
  /** Computed by Node's X509Certificate, independently of the code under test. */
  fingerprint: string;
}

/** A fresh self-signed certificate for 127.0.0.1, made the way an admin would with `openssl req -x509`. */
export function makeSelfSignedCertificate(commonName = 'pve-test.invalid'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'pve-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '2',
        '-utf8',
        '-subj',
        `/O=PVE Desk tests/CN=${commonName}`,
        '-addext',
        `subjectAltName=IP:127.0.0.1,DNS:${commonName}`,
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certPath, 'utf8');
    return { key: readFileSync(keyPath, 'utf8'), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
