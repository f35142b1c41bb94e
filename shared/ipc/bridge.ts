import type { IpcEnvelope } from './errors';

/**
 * What each host gives the renderer as `window.api`: the Electron preload
 * through contextBridge, or the web shim over a WebSocket. Deliberately
 * untyped and narrow; the typed surface is the client built on top.
 */
export interface IpcBridge {
  invoke(method: string, input: unknown): Promise<IpcEnvelope>;
  /** Returns the function that removes the listener. */
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}
