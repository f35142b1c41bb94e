import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostSubjectToOpensslSubj, prepareSpiceTls } from './spice-tls';

describe('prepareSpiceTls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvelab-spice-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const subject = 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve2.lab';

  it('issues a server certificate with exactly the host subject, signed by the lab CA', async () => {
    const material = await prepareSpiceTls(dir, subject);
    expect(material.x509Dir).toBe(dir);
    expect(material.caPem).toContain('BEGIN CERTIFICATE');
    const cert = join(dir, 'server-cert.pem');
    expect(execFileSync('openssl', ['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'RFC2253'], { encoding: 'utf8' }).trim()).toBe(
      // RFC 2253 prints the RDNs last-first.
      'subject=CN=pve2.lab,O=Proxmox Virtual Environment,OU=PVE Cluster Node',
    );
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca-cert.pem'), cert], { encoding: 'utf8' })).toContain('OK');
  });

  it('reuses the material for the same subject', async () => {
    const first = await prepareSpiceTls(dir, subject);
    const second = await prepareSpiceTls(dir, subject);
    expect(second.caPem).toBe(first.caPem);
  });

  it('turns host-subject syntax into openssl -subj syntax in the same order', () => {
    expect(hostSubjectToOpensslSubj('OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve1.lab')).toBe(
      '/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=pve1.lab',
    );
  });
});
