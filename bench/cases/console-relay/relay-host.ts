/**
 * The app's console relay in a process of its own, as it runs in Electron's main process while the viewer runs in a
 * renderer: the bench's client must not share an event loop with it. Each `issue` message from the bench answers a
 * fresh relay URL whose entry connects to the byte pump (argv[2]) and pumps between it and the viewer as a console does.
 */
import { connect } from 'node:net';
import { pumpBetween, RelayServer, type RelayEntry } from '../../../electron/services/consoles';
import { silentLogger } from '../../../electron/services/log';
import type { BridgeUrl } from './pump-clients';

const pumpPort = Number(process.argv[2]);
const window = 'bench-viewer';

const entry: RelayEntry = {
  caller: window,
  label: 'bench byte pump',
  accept(viewer) {
    pumpBetween(viewer, connect({ host: '127.0.0.1', port: pumpPort, noDelay: true }));
  },
};

const relay = await RelayServer.listen({ logger: silentLogger });
process.on('message', () => {
  const issued = relay.issue(entry);
  const answer: BridgeUrl = { url: issued.url, protocols: issued.protocols };
  process.send?.(answer);
});
process.on('disconnect', () => void relay.close().finally(() => process.exit(0)));
process.send?.('ready');
