import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate } from '../testing/test-certificate';
import { describeCertificate } from './certificate-info';

describe('describeCertificate', () => {
  it('shows the names a certificate maker chose without their bidi controls', () => {
    const made = makeSelfSignedCertificate('pve\u202Ebal.1\u2066evil\u2069');
    const info = describeCertificate(new X509Certificate(made.cert).raw);
    expect(info.subject).toBe('O=PVE Desk tests\nCN=pvebal.1evil');
    expect(info.issuer).toBe(info.subject);
    expect([info.subject, info.issuer, ...info.subjectAltNames].join('')).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(info.selfSigned).toBe(true);
  });
});
