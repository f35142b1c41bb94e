/**
 * The services as a host builds them, reached through the real IPC router,
 * with profiles for a running lab: what the features' `*.lab.test.ts` files
 * share.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LoginOutcome, ProfileFields } from '../../../shared/domain/connections';
import type { MethodInput, MethodName, MethodResult } from '../../../shared/ipc/contract';
import { IpcError, type IpcEnvelope } from '../../../shared/ipc/errors';
import { firstCluster, type LabReady } from '../../../lab/api/lab-harness';
import { createServices, type Services } from '../create-services';
import { createIpcRouter } from '../ipc';
import { createLogger } from '../log';
import { createKeyFileEncryptor } from '../secrets';

export interface LabServices {
  services: Services;
  /** Calls a method as a window would (`window-test` unless named), an error envelope thrown as the IpcError it carries. */
  ipc<M extends MethodName>(method: M, input: MethodInput<M>, window?: string): Promise<MethodResult<M>>;
  /** The services' config folder; their log is `logs/web-host.log` in it. */
  configDir: string;
  /** Saves a profile for the lab's first cluster (pinned, password login) and connects it; answers its id. */
  connect(name: string, account: { userid: string; password: string }): Promise<string>;
}

/** A profile of the lab's first cluster for `userid` (`root@pam`), its certificate pinned. */
export function labProfile(ready: LabReady, name: string, userid: string): ProfileFields {
  const cluster = firstCluster(ready);
  const { hostname, port } = new URL(cluster.api);
  const [username = '', realm = ''] = userid.split('@');
  return {
    name,
    endpoints: [{ host: hostname, port: Number(port), trust: { mode: 'pinned', fingerprint: cluster.fingerprint } }],
    auth: { kind: 'password', username, realm },
    ssh: { user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} },
    clipboardSharing: true,
  };
}

/**
 * Builds the services in a fresh config folder (or `configDir`: another process's, to test what survives it);
 * `name` keeps the keychain entries of each test file apart.
 */
export async function startLabServices(
  ready: LabReady,
  name: string,
  timeoutMs = 20_000,
  configDir = mkdtempSync(join(tmpdir(), `pve-desk-${name}-`)),
): Promise<LabServices> {
  const services = await createServices({
    host: 'web',
    configDir,
    appName: 'PVE Desk',
    appVersion: '0.0.0-test',
    logger: createLogger({ file: join(configDir, 'logs', 'web-host.log'), echo: false }),
    encryptor: createKeyFileEncryptor({ keyFile: join(mkdtempSync(join(tmpdir(), 'pve-desk-key-')), 'secrets.key') }),
    keychainService: `pve-desk-itest-${name}`,
    clientTuning: { timeoutMs, connectTimeoutMs: 2_000 },
  });
  // The sender is the calling window's name: tests of window-bound answers (console relay URLs) call as two windows.
  const router = createIpcRouter<string>({
    handlers: services.handlers,
    senderPolicy: () => null,
    callerOf: (window) => window,
    logger: createLogger({ echo: false }),
  });

  async function ipc<M extends MethodName>(method: M, input: MethodInput<M>, window = 'window-test'): Promise<MethodResult<M>> {
    const envelope: IpcEnvelope = await router.handle(window, method, input);
    if (!envelope.ok) throw new IpcError(envelope.error.code, envelope.error.message);
    return envelope.result as MethodResult<M>;
  }

  async function connect(profileName: string, account: { userid: string; password: string }): Promise<string> {
    const saved = await ipc('connections.save', { fields: labProfile(ready, profileName, account.userid), secrets: {} });
    const outcome: LoginOutcome = await ipc('connections.connect', { id: saved.id, password: account.password, remember: false });
    expect(outcome.kind).toBe('connected');
    return saved.id;
  }

  return { services, ipc, connect, configDir };
}
