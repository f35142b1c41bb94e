import type { IpcClient } from '../../../../shared/ipc/client';
import type { EventName, IpcEvents, MethodInput, MethodName, MethodResult } from '../../../../shared/ipc/contract';
import { secretNames, type ConnectionList, type ProfileView, type StoredSecrets } from '../../../../shared/domain/connections';
import { IpcError } from '../../../../shared/ipc/errors';

type Handler<M extends MethodName> = (input: MethodInput<M>) => MethodResult<M> | Promise<MethodResult<M>>;

/**
 * An IpcClient for component tests: answers each method with what the test
 * set, records every call, and lets the test push events as the host would.
 * A method nobody set fails as an unknown host would.
 */
function createFakeIpc() {
  const handlers = new Map<MethodName, Handler<MethodName>>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const calls: { method: MethodName; input: unknown }[] = [];

  const client: IpcClient = {
    async call(method, input) {
      calls.push({ method, input });
      const handler = handlers.get(method) as Handler<typeof method> | undefined;
      if (handler === undefined) throw new IpcError('UNKNOWN_METHOD', `no fake answer for ${method}`);
      return handler(input);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };

  return {
    client,
    calls,
    answer<M extends MethodName>(method: M, handler: Handler<M>): void {
      handlers.set(method, handler as unknown as Handler<MethodName>);
    },
    emit<E extends EventName>(event: E, payload: IpcEvents[E]): void {
      for (const listener of listeners.get(event) ?? []) (listener as (payload: IpcEvents[E]) => void)(payload);
    },
    callsOf<M extends MethodName>(method: M): MethodInput<M>[] {
      return calls.filter((call) => call.method === method).map((call) => call.input as MethodInput<M>);
    },
    reset(): void {
      handlers.clear();
      listeners.clear();
      calls.length = 0;
    },
  };
}

/** The one fake the mocked `platform/ipc` module hands out (see `vi.mock` in the tests). */
export const fakeIpc = createFakeIpc();

export function profileView(overrides: Partial<ProfileView> = {}): ProfileView {
  return {
    id: '0b5c6f1e-8d3a-4c2b-9f1e-2a3b4c5d6e7f',
    name: 'Lab',
    endpoints: [{ host: 'pve1.lab', port: 8006, trust: { mode: 'system' } }],
    auth: { kind: 'password', username: 'admin', realm: 'pve' },
    ssh: { user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} },
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
