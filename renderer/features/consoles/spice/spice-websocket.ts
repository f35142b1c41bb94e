/**
 * Our relay admits a socket only when it offers the window's proof among its subprotocols (`session.protocols`), and
 * spice-html5 opens every channel with `new WebSocket(uri, 'binary')` — the main channel, then one socket per channel
 * the server lists, deep inside its constructors (spiceconn.js) where no option reaches.
 *
 * Why the global constructor is wrapped once, rather than subclassing spice-html5's connection class: the socket is
 * made in the base constructor `SpiceConn`, which every channel class calls and which a subclass cannot bypass without
 * copying it. The wrapper changes nothing for any other socket: it swaps in the registered protocols only for a URL
 * registered by a live SPICE viewer (relay URLs are single-use tokens), and passes every other call through.
 *
 * It is a Proxy whose `construct` answers a plain native WebSocket, not a subclass: noVNC checks the socket it is
 * handed by the own property names of its prototype (`send`, `close`, `readyState`…), which a subclass's prototype
 * lacks, so once a SPICE console had been open every later VNC console failed before its handshake.
 */

const registered = new Map<string, readonly string[]>();
let installed = false;

function key(url: string | URL): string {
  return new URL(url).href;
}

/** Replaces the global WebSocket with the relay-aware subclass (idempotent). */
export function installRelayWebSocket(): void {
  if (installed) return;
  installed = true;
  globalThis.WebSocket = new Proxy(globalThis.WebSocket, {
    construct(NativeWebSocket, [url, protocols]: [string | URL, (string | string[])?]) {
      const relayProtocols = registered.get(key(url));
      return new NativeWebSocket(url, relayProtocols === undefined ? protocols : [...relayProtocols]);
    },
  });
}

/** Every socket opened to `url` from now on offers `protocols`; the answer unregisters (when the viewer stops). */
export function registerRelayProtocols(url: string, protocols: readonly string[]): () => void {
  installRelayWebSocket();
  const registeredKey = key(url);
  registered.set(registeredKey, protocols);
  return () => {
    if (registered.get(registeredKey) === protocols) registered.delete(registeredKey);
  };
}
