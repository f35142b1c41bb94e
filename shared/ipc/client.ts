import type { IpcBridge } from './bridge';
import type { EventName, IpcEvents, MethodInput, MethodName, MethodResult } from './contract';
import { IpcError } from './errors';

export interface IpcClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
}

/** The one typed client the renderer uses; it cannot tell which host answers. */
export function createIpcClient(bridge: IpcBridge): IpcClient {
  return {
    async call(method, input) {
      const envelope = await bridge.invoke(method, input);
      if (envelope.ok) return envelope.result as MethodResult<typeof method>;
      throw IpcError.fromPayload(envelope.error);
    },
    on(event, listener) {
      return bridge.subscribe(event, (payload) => listener(payload as IpcEvents[typeof event]));
    },
  };
}
