import { beforeEach, describe, expect, it } from 'vitest';
import type { CertificateQuestion } from '../../../shared/domain/connections';
import { IpcError } from '../../../shared/ipc/errors';
import ConnectionsView from './ConnectionsView.vue';
import { byTestId, click, exists, fakeIpc, mountInApp, settle, type } from '../../testing';
import { connectionList, profileView } from './testing';

const newFingerprint = Array.from({ length: 32 }, (_, index) => index.toString(16).padStart(2, '0').toUpperCase()).join(':');
const oldFingerprint = 'AB:'.repeat(31) + 'AB';

const questionId = 'c0ffee'.padEnd(32, '0');

function question(endpointIndex = 0): CertificateQuestion {
  return {
    kind: 'certificate',
    questionId,
    endpointIndex,
    endpoint: 'pve1.lab:8006',
    certificate: {
      fingerprint256: newFingerprint,
      subject: 'CN=pve1.lab\nO=PVE Cluster Node',
      issuer: 'CN=Proxmox Virtual Environment\nO=PVE Cluster Manager CA',
      validFrom: '2025-01-01T00:00:00Z',
      validTo: '2035-01-01T00:00:00Z',
      subjectAltNames: ['DNS:pve1.lab', 'IP Address:127.0.0.1'],
      selfSigned: true,
    },
  };
}

const profile = profileView();

async function showList(): Promise<void> {
  fakeIpc.answer('connections.list', () => connectionList([profile]));
  await mountInApp(ConnectionsView);
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('connecting a profile', () => {
  it('asks for the password, then the second factor, and keeps the dialog open on a wrong code', async () => {
    await showList();
    fakeIpc.answer('connections.connect', (input) =>
      input.password === undefined ? { kind: 'password-required' } : { kind: 'second-factor', kinds: ['totp', 'recovery'] },
    );
    let attempts = 0;
    fakeIpc.answer('connections.secondFactor', () => {
      attempts++;
      if (attempts === 1) throw new IpcError('AUTH_FAILED', 'The code was not accepted.');
      return { kind: 'connected', profile: { ...profile, state: { status: 'connected', since: '2025-01-01T00:00:00Z' } } };
    });

    await click('connect');
    expect(byTestId('login-dialog').textContent).toContain('Password of admin@pve for “Lab”.');
    await type('login-password', 'correct horse');
    await click('login-remember');
    await click('login-submit');
    expect(fakeIpc.callsOf('connections.connect')).toEqual([{ id: profile.id }, { id: profile.id, password: 'correct horse', remember: true }]);

    await settle();
    expect(exists('login-dialog')).toBe(false);
    expect(byTestId('second-factor-dialog').textContent).toContain('6-digit code');
    await type('second-factor-code', '123456');
    await click('second-factor-submit');
    expect(byTestId('second-factor-error').textContent).toContain('The server refused the sign-in');
    expect(exists('second-factor-dialog')).toBe(true);

    await click('second-factor-use-recovery');
    await type('second-factor-code', 'abcd-ef01-2345');
    await click('second-factor-submit');
    expect(fakeIpc.callsOf('connections.secondFactor')).toEqual([
      { id: profile.id, answer: { kind: 'totp', code: '123456' } },
      { id: profile.id, answer: { kind: 'recovery', key: 'abcd-ef01-2345' } },
    ]);
    await settle();
    expect(exists('second-factor-dialog')).toBe(false);
    expect(document.querySelector('tr.connection-row [data-status]')?.getAttribute('data-status')).toBe('connected');
  });

  it('shows a certificate nothing vouches for, pins it on accept and connects again', async () => {
    await showList();
    let connects = 0;
    fakeIpc.answer('connections.connect', () => (++connects === 1 ? question() : { kind: 'connected', profile }));
    fakeIpc.answer('connections.trustCertificate', () => profile);

    await click('connect');
    const dialog = byTestId('certificate-dialog');
    expect(byTestId('new-fingerprint').getAttribute('aria-label')).toBe(newFingerprint);
    expect([...byTestId('new-fingerprint').querySelectorAll('.group')].map((group) => group.textContent)).toEqual([
      '00:01:02:03',
      '04:05:06:07',
      '08:09:0A:0B',
      '0C:0D:0E:0F',
      '10:11:12:13',
      '14:15:16:17',
      '18:19:1A:1B',
      '1C:1D:1E:1F',
    ]);
    expect(dialog.textContent).toContain('CN=pve1.lab');
    expect(dialog.textContent).toContain('IP Address:127.0.0.1');
    expect(dialog.textContent).toContain('Self-signed');
    expect(dialog.textContent).toContain('January 1, 2035');
    expect(exists('previous-fingerprint')).toBe(false);

    await click('accept-certificate');
    // The host pins the certificate it asked about: the page names the question, never a fingerprint.
    expect(fakeIpc.callsOf('connections.trustCertificate')).toEqual([{ id: profile.id, questionId }]);
    expect(fakeIpc.callsOf('connections.connect')).toHaveLength(2);
    await settle();
    expect(exists('certificate-dialog')).toBe(false);
  });

  it('refusing a certificate trusts nothing', async () => {
    await showList();
    fakeIpc.answer('connections.connect', () => question());
    await click('connect');
    await click('refuse-certificate');
    expect(fakeIpc.callsOf('connections.trustCertificate')).toEqual([]);
    await settle();
    expect(exists('certificate-dialog')).toBe(false);
  });

  it('reviews a changed certificate next to the pinned one', async () => {
    const pinned = profileView({
      endpoints: [
        { host: 'pve0.lab', port: 8006, trust: { mode: 'system' } },
        { host: 'pve1.lab', port: 8006, trust: { mode: 'pinned', fingerprint: oldFingerprint } },
      ],
      state: { status: 'certificate-problem', endpoint: 'pve1.lab:8006', error: { code: 'TLS_MISMATCH', message: 'changed' }, since: '2025-01-01T00:00:00Z' },
    });
    fakeIpc.answer('connections.list', () => connectionList([pinned]));
    fakeIpc.answer('connections.reviewCertificate', (input) => question(input.endpointIndex));
    fakeIpc.answer('connections.trustCertificate', () => pinned);
    fakeIpc.answer('connections.connect', () => ({ kind: 'connected', profile: pinned }));
    await mountInApp(ConnectionsView);

    await click('review-certificate');
    expect(fakeIpc.callsOf('connections.reviewCertificate')).toEqual([{ id: pinned.id, endpointIndex: 1 }]);
    const dialog = byTestId('certificate-dialog');
    expect(dialog.textContent).toContain('The certificate has changed');
    expect(dialog.textContent).toContain('Do not accept unless you know why it changed');
    expect(byTestId('previous-fingerprint').getAttribute('aria-label')).toBe(oldFingerprint);
    expect(byTestId('new-fingerprint').getAttribute('aria-label')).toBe(newFingerprint);
    await click('accept-certificate');
    expect(fakeIpc.callsOf('connections.trustCertificate')).toEqual([{ id: pinned.id, questionId }]);
  });

  it('reports a failure to connect with the translated cause and the host detail', async () => {
    await showList();
    fakeIpc.answer('connections.connect', () => {
      throw new IpcError('UNREACHABLE', 'pve1.lab:8006: connection refused');
    });
    await click('connect');
    expect(document.querySelector('.n-message')?.textContent).toContain(
      'Could not connect. The cluster could not be reached at any of its addresses. (pve1.lab:8006: connection refused)',
    );
  });
});
