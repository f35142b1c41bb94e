/**
 * The web host of the soak run, in a process of its own so its memory is
 * measured alone: real services in a temporary config folder, a file log.
 * Tells the parent its port and launch token, then answers "measure" with
 * its memory after a full garbage collection (run with --expose-gc).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestWebHost } from '../electron/host/testing';
import { createLogger } from '../electron/services/log';

export interface HostMemory {
  heapUsed: number;
  rss: number;
  logBytes: number;
}

/** A full collection first ('measure'), or the heap as it is ('sample', for the peak). */
export interface MemoryRequest {
  id: number;
  collect: boolean;
}

export type SoakHostMessage = { kind: 'ready'; port: number; token: string } | { kind: 'memory'; id: number; memory: HostMemory };

const logFile = join(mkdtempSync(join(tmpdir(), 'pve-desk-soak-log-')), 'web-host.log');
const started = await startTestWebHost({ logger: createLogger({ file: logFile, echo: false }) });

function measure(collect: boolean): HostMemory {
  if (collect) for (let i = 0; i < 3; i++) globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss, logBytes: statSync(logFile).size };
}

process.on('message', (request: MemoryRequest | 'stop') => {
  if (request === 'stop') {
    void started.close().then(() => process.exit(0));
    return;
  }
  const message: SoakHostMessage = { kind: 'memory', id: request.id, memory: measure(request.collect) };
  process.send?.(message);
});
const ready: SoakHostMessage = { kind: 'ready', port: started.host.port, token: started.token };
process.send?.(ready);
