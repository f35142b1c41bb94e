import { describe, expect, it } from 'vitest';
import { checkDraft, draftFromProfile, emptySecrets, newNodeOverride, secretChanges, secretsToRetype } from './profile-draft';
import { noStoredSecrets, profileView } from './testing';

describe('the profile draft', () => {
  it('round-trips a profile through the form model', () => {
    const profile = profileView({
      endpoints: [
        { host: 'pve1.lab', port: 8006, trust: { mode: 'system' } },
        { host: '10.0.0.2', port: 8443, trust: { mode: 'pinned', fingerprint: 'AB:'.repeat(31) + 'AB' } },
      ],
      ssh: {
        user: 'admin',
        port: 2222,
        auth: { method: 'key-file', privateKeyPath: '/home/a/.ssh/id' },
        jumpHost: { host: 'bastion', port: 22, user: 'jump', auth: { method: 'key-file', privateKeyPath: '/home/a/.ssh/bastion' } },
        nodes: { pve2: { port: 2200 } },
      },
    });
    const check = checkDraft(draftFromProfile(profile));
    expect(check).toEqual({
      ok: true,
      fields: { name: profile.name, endpoints: profile.endpoints, auth: profile.auth, ssh: profile.ssh, clipboardSharing: profile.clipboardSharing },
    });
  });

  it("keeps a profile's clipboard sharing as set: turned off stays off when the profile is saved again", () => {
    const check = checkDraft(draftFromProfile(profileView({ clipboardSharing: false })));
    expect(check.ok && check.fields.clipboardSharing).toBe(false);
    expect(draftFromProfile().clipboardSharing).toBe(true);
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
    const stored = { ...noStoredSecrets(), password: true, tokenSecret: true, sshPassword: true, jumpPassword: true };
    expect(secretChanges(draft, secrets, stored)).toEqual({ password: 'typed', tokenSecret: null, sshPassword: null, jumpPassword: null });
    secrets.password = { value: '', forget: true };
    expect(secretChanges(draft, secrets, stored).password).toBeNull();
    secrets.password = { value: '', forget: false };
    expect(secretChanges(draft, secrets, stored)).not.toHaveProperty('password');
  });

  it('names the stored secrets a save would forget: those bound to changed addresses or accounts, unless typed again', () => {
    const profile = profileView({ stored: { ...noStoredSecrets(), password: true, sshPassword: true } });
    const fieldsOf = (draft: ReturnType<typeof draftFromProfile>) => {
      const check = checkDraft(draft);
      if (!check.ok) throw new Error('the draft should be valid');
      return check.fields;
    };
    const renamed = draftFromProfile(profile);
    renamed.name = 'Renamed';
    expect(secretsToRetype(profile, fieldsOf(renamed), {})).toEqual([]);

    const moved = draftFromProfile(profile);
    Object.assign(moved.endpoints[0] ?? {}, { host: 'elsewhere.example' });
    expect(secretsToRetype(profile, fieldsOf(moved), {})).toEqual(['password', 'sshPassword']);
    expect(secretsToRetype(profile, fieldsOf(moved), { password: 'typed again' })).toEqual(['sshPassword']);

    const otherUser = draftFromProfile(profile);
    otherUser.auth.username = 'someone-else';
    expect(secretsToRetype(profile, fieldsOf(otherUser), {})).toEqual(['password']);
  });

  it('gives the jump host its own login and secrets', () => {
    const draft = draftFromProfile(
      profileView({
        ssh: {
          user: 'root',
          port: 22,
          auth: { method: 'password' },
          jumpHost: { host: 'bastion', port: 22, user: 'hop', auth: { method: 'agent' } },
          nodes: {},
        },
      }),
    );
    draft.ssh.jumpHost.method = 'password';
    const secrets = emptySecrets();
    secrets.sshPassword.value = 'node secret';
    secrets.jumpPassword.value = 'jump secret';
    const check = checkDraft(draft);
    expect(check.ok && check.fields.ssh.jumpHost).toEqual({ host: 'bastion', port: 22, user: 'hop', auth: { method: 'password' } });
    expect(secretChanges(draft, secrets)).toEqual({ sshPassword: 'node secret', jumpPassword: 'jump secret' });
  });
});
