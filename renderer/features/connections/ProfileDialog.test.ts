import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateQuestion, RealmView } from '../../../shared/domain/connections';
import ProfileDialog from './ProfileDialog.vue';
import { realmsSettleMs } from './use-realms';
import { byTestId, click, exists, fakeIpc, mountInApp, settle, type } from '../../testing';
import { connectionList, noStoredSecrets, profileView } from './testing';

const fingerprint = 'C0:FF:EE:'.repeat(10) + 'C0:FF';
const realms: RealmView[] = [
  { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication', default: false },
  { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server', default: true },
];
const certificate: CertificateQuestion = {
  kind: 'certificate',
  questionId: 'a'.repeat(32),
  endpointIndex: 0,
  endpoint: 'pve1.lab:8006',
  certificate: {
    fingerprint256: fingerprint,
    subject: 'CN=pve1.lab',
    issuer: 'CN=pve1.lab',
    validFrom: '2025-01-01T00:00:00Z',
    validTo: '2035-01-01T00:00:00Z',
    subjectAltNames: [],
    selfSigned: true,
  },
};

function feedbackOf(testId: string): string | undefined {
  return byTestId(testId).closest('.n-form-item')?.querySelector('.n-form-item-feedback-wrapper')?.textContent?.trim();
}

/** Lets the endpoint settle, as when the user stops typing: the realms request goes out. */
async function waitForRealms(): Promise<void> {
  await vi.advanceTimersByTimeAsync(realmsSettleMs);
  await flushPromises();
}

beforeEach(() => {
  // The realms debounce runs on a fake clock; it also moves with real time, so the UI's own short timers still fire.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
  fakeIpc.reset();
  document.body.innerHTML = '';
  fakeIpc.answer('connections.list', () => connectionList([]));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ProfileDialog', () => {
  it('shows what is wrong with each field and saves nothing', async () => {
    await mountInApp(ProfileDialog, { show: true });
    await type('profile-name', '  ');
    await type('endpoint-host', 'https://pve1.lab/');
    await click('save-profile');
    expect(feedbackOf('profile-name')).toBe('Required.');
    expect(feedbackOf('endpoint-host')).toBe('A host name or an IP address, without https:// or port.');
    expect(feedbackOf('auth-username')).toBe('Required.');
    expect(byTestId('form-invalid').textContent).toContain('Some fields need attention');
    expect(fakeIpc.callsOf('connections.save')).toEqual([]);
    // Errors follow the typing once shown.
    await type('endpoint-host', 'pve1.lab');
    await settle();
    expect(feedbackOf('endpoint-host')).toBe('');
  });

  it('asks to trust the certificate the realms request met, pins it in the draft, and loads the realms', async () => {
    fakeIpc.answer('connections.realms', (input) => (input.endpoint.trust?.mode === 'pinned' ? { kind: 'realms', realms } : certificate));
    fakeIpc.answer('connections.save', (input) => profileView({ ...input.fields, id: '44444444-4444-4444-8444-444444444444' } as never));
    await mountInApp(ProfileDialog, { show: true });
    await type('profile-name', 'Lab');
    await type('endpoint-host', 'pve1.lab');
    await waitForRealms();
    expect(byTestId('certificate-dialog').textContent).toContain('pve1.lab:8006 presents a certificate');
    await click('accept-certificate');
    await settle();
    await waitForRealms();
    expect(fakeIpc.callsOf('connections.realms').map((call) => call.endpoint.trust)).toEqual([{ mode: 'system' }, { mode: 'pinned', fingerprint }]);
    expect((byTestId('endpoint-fingerprint').querySelector('input') as HTMLInputElement).value).toBe(fingerprint);
    expect(byTestId('auth-realm').textContent).toContain('pve');

    await type('auth-username', 'admin');
    await type('auth-password', 's3cret');
    await click('save-profile');
    expect(fakeIpc.callsOf('connections.save')).toEqual([
      {
        id: undefined,
        fields: {
          name: 'Lab',
          endpoints: [{ host: 'pve1.lab', port: 8006, trust: { mode: 'pinned', fingerprint } }],
          auth: { kind: 'password', username: 'admin', realm: 'pve' },
          ssh: { user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} },
          clipboardSharing: true,
        },
        secrets: { password: 's3cret' },
      },
    ]);
  });

  it('says when the certificate was refused, and lets the realm be typed', async () => {
    fakeIpc.answer('connections.realms', () => certificate);
    await mountInApp(ProfileDialog, { show: true });
    await type('endpoint-host', 'pve1.lab');
    await waitForRealms();
    await click('refuse-certificate');
    expect(byTestId('realms-notice').textContent).toContain('The certificate was not accepted');
  });

  it('tests the draft and shows who signed in where', async () => {
    const profile = profileView({ stored: { ...noStoredSecrets(), password: true } });
    fakeIpc.answer('connections.realms', () => ({ kind: 'realms', realms }));
    fakeIpc.answer('connections.test', () => ({ kind: 'ok', endpoint: 'pve1.lab:8006', userid: 'admin@pve', version: '8.3.0', clusterName: 'lab1' }));
    await mountInApp(ProfileDialog, { show: true, profile });
    expect(byTestId('auth-password').querySelector('input')?.getAttribute('placeholder')).toBe('Stored — leave empty to keep it');
    await click('test-profile');
    expect(fakeIpc.callsOf('connections.test')[0]).toMatchObject({ id: profile.id, secrets: {} });
    expect(byTestId('test-result').textContent).toContain('Signed in as admin@pve through pve1.lab:8006: Proxmox VE 8.3.0.');
    expect(byTestId('test-result').textContent).toContain('Cluster: lab1.');
  });

  it('forgets a stored password by sending null', async () => {
    const profile = profileView({ stored: { ...noStoredSecrets(), password: true } });
    fakeIpc.answer('connections.realms', () => ({ kind: 'realms', realms }));
    fakeIpc.answer('connections.save', () => profile);
    await mountInApp(ProfileDialog, { show: true, profile });
    await click('auth-password-forget');
    await click('save-profile');
    expect(fakeIpc.callsOf('connections.save')[0]?.secrets).toEqual({ password: null });
    await settle();
    expect(exists('profile-dialog')).toBe(false);
  });

  it('says before saving that a stored password must be typed again when the address changes', async () => {
    const profile = profileView({ stored: { ...noStoredSecrets(), password: true } });
    fakeIpc.answer('connections.realms', () => ({ kind: 'realms', realms }));
    await mountInApp(ProfileDialog, { show: true, profile });
    await type('profile-name', 'Lab renamed');
    expect(exists('secrets-to-retype')).toBe(false);
    await type('endpoint-host', 'elsewhere.example');
    expect(byTestId('secrets-to-retype').textContent).toContain('saving forgets: the password');
    await type('auth-password', 'typed again');
    expect(exists('secrets-to-retype')).toBe(false);
  });

  it('gives the jump host its own authentication and secret fields', async () => {
    fakeIpc.answer('connections.realms', () => ({ kind: 'realms', realms }));
    fakeIpc.answer('connections.save', (input) => ({ ...profileView(), ...input.fields }) as ReturnType<typeof profileView>);
    const profile = profileView({
      ssh: {
        user: 'root',
        port: 22,
        auth: { method: 'password' },
        jumpHost: { host: 'bastion.example', port: 22, user: 'hop', auth: { method: 'agent' } },
        nodes: {},
      },
    });
    await mountInApp(ProfileDialog, { show: true, profile });
    const jumpMethods = byTestId('jump-method').querySelectorAll('input');
    jumpMethods[2]?.dispatchEvent(new Event('change'));
    await settle();
    await type('jump-password', 'jump secret');
    await type('ssh-password', 'node secret');
    await click('save-profile');
    const saved = fakeIpc.callsOf('connections.save')[0];
    expect(saved?.fields.ssh?.jumpHost).toEqual({ host: 'bastion.example', port: 22, user: 'hop', auth: { method: 'password' } });
    expect(saved?.secrets).toEqual({ sshPassword: 'node secret', jumpPassword: 'jump secret' });
  });
});
