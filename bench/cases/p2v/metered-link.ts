/**
 * The metered proxy in front of the node's sshd, in a process of its own so that counting the bytes costs neither
 * way's process any time. Sends `{ port }` once it listens; answers each message with `{ sent }`, the bytes clients
 * sent to the node so far.
 */
import { startMeteredProxy } from '../../../electron/services/p2v/testing';

const [host = '127.0.0.1', port = '22'] = process.argv.slice(2);
const proxy = await startMeteredProxy({ host, port: Number(port) });
process.on('message', () => process.send?.({ sent: proxy.sentBytes() }));
process.on('disconnect', () => void proxy.close().finally(() => process.exit(0)));
process.send?.({ port: proxy.port });
