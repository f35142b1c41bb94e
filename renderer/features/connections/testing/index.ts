import { secretNames, type ConnectionList, type ProfileView, type StoredSecrets } from '../../../../shared/domain/connections';

/** Profiles and lists as the host sends them, for the tests of any feature that shows connections. */
export function profileView(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    id: '0b5c6f1e-8d3a-4c2b-9f1e-2a3b4c5d6e7f',
    name: 'Lab',
    endpoints: [{ host: 'pve1.lab', port: 8006, trust: { mode: 'system' } }],
    auth: { kind: 'password', username: 'admin', realm: 'pve' },
    ssh: { user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} },
    clipboardSharing: true,
    stored: noStoredSecrets(),
    state: { status: 'disconnected', since: '2025-01-01T00:00:00Z' },
    ...overrides,
  };
}

export function connectionList(profiles: ProfileView[]): ConnectionList {
  return { profiles, secretBackend: { kind: 'keychain', detail: 'Secret Service' } };
}

/** Every secret flag false; tests set the ones they store. */
export function noStoredSecrets(): StoredSecrets {
  return Object.fromEntries(secretNames.map((name) => [name, false])) as StoredSecrets;
}
