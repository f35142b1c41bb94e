import { describe, expect, it } from 'vitest';
import { checkDraft, draftFromProfile, emptySecrets, newNodeOverride, secretChanges } from './profile-draft';
import { profileView } from './testing/fake-ipc';

describe('the profile draft', () => {
  it('round-trips a profile through the form model', () => {
    const profile = profileView({
      endpoints: [
        { host: 'pve1.lab', port: 8006, trust: { mode: 'system' } },
        { host: '10.0.0.2', port: 8443, trust: { mode: 'pinned', fingerprint: 'AB:'.repeat(31) + 'AB' } },
      ],
      ssh: { user: 'admin', port: 2222, auth: { method: 'key-file', privateKeyPath: '/home/a/.ssh/id' }, jumpHost: { host: 'bastion', port: 22, user: 'jump' }, nodes: { pve2: { port: 2200 } } },
    });
    const check = checkDraft(draftFromProfile(profile));
    expect(check).toEqual({ ok: true, fields: { name: profile.name, endpoints: profile.endpoints, auth: profile.auth, ssh: profile.ssh } });
  });

  it('names the wrong fields by their place in the form', () => {
    const draft = draftFromProfile();
    draft.name = 'a\u0007b';
    Object.assign(draft.endpoints[0] ?? {}, { host: 'https://pve', port: null, trustMode: 'pinned', fingerprint: 'nope' });
    draft.auth.username = 'root@pam';
    draft.ssh.method = 'key-file';
    draft.ssh.nodes = [{ ...newNodeOverride(), node: 'bad name', port: 22 }, { ...newNodeOverride(), host: 'x' }, newNodeOverride()];
    const check = checkDraft(draft);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toEqual({
      name: { key: 'name' },
      'endpoints.0.host': { key: 'host' },
      'endpoints.0.fingerprint': { key: 'fingerprint' },
      'auth.realm': { key: 'realm' },
      'ssh.privateKeyPath': { key: 'required' },
      'ssh.nodes.0.node': { key: 'node' },
      'ssh.nodes.1.node': { key: 'required' },
    });
  });

  it('accepts a pasted fingerprint in any common form and stores it canonical', () => {
    const draft = draftFromProfile(profileView());
    Object.assign(draft.endpoints[0] ?? {}, { trustMode: 'pinned', fingerprint: ` ${'ab'.repeat(32)} ` });
    const check = checkDraft(draft);
    expect(check.ok && check.fields.endpoints[0]?.trust).toEqual({ mode: 'pinned', fingerprint: 'AB:'.repeat(31) + 'AB' });
  });

  it('sends a typed secret, null to forget one, and forgets stored secrets the settings no longer use', () => {
    const draft = draftFromProfile(profileView());
    const secrets = emptySecrets();
    secrets.password.value = 'typed';
    secrets.tokenSecret.value = 'ignored: not the chosen method';
    const stored = { password: true, tokenSecret: true, sshPassphrase: false, sshPassword: true };
    expect(secretChanges(draft, secrets, stored)).toEqual({ password: 'typed', tokenSecret: null, sshPassword: null });
    secrets.password = { value: '', forget: true };
    expect(secretChanges(draft, secrets, stored).password).toBeNull();
    secrets.password = { value: '', forget: false };
    expect(secretChanges(draft, secrets, stored)).not.toHaveProperty('password');
  });
});
