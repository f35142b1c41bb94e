import type { IpcClient } from '../../shared/ipc/client';
import type { EventName, IpcEvents, MethodInput, MethodName, MethodResult } from '../../shared/ipc/contract';
import { IpcError } from '../../shared/ipc/errors';

type Handler<M extends MethodName> = (input: MethodInput<M>) => MethodResult<M> | Promise<MethodResult<M>>;

/**
 * An IpcClient for component tests: answers each method with what the test
 * set, records every call, and lets the test push events as the host would.
 * A method nobody set fails as an unknown host would.
 */
export function createFakeIpc() {
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

export type FakeIpc = ReturnType<typeof createFakeIpc>;

/** The fake that `mountInApp` provides unless a test passes its own; tests `reset()` it before each. */
export const fakeIpc = createFakeIpc();
