import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PVE_RELEASE_NAMES, type PveReleaseName } from './cluster/pve-release';

export interface LabOptions {
  clusters: number;
  nodes: number;
  port: number;
  spicePort: number;
  state: string;
  guests: number;
  fresh: boolean;
  /** Tests only: stdin takes `advance-clock <seconds>` lines (see cluster/lab-clock.ts). */
  clockControl: boolean;
  ticketLifetime: number;
  authDelayMs: number;
  /** How long a call proxied to an offline node takes to fail with 595 (PVE: the connect's "No route to host", ~3 s). */
  unreachableDelayMs: number;
  /** How many `onboot` guests start with the lab (default 2: the machine has 2 cores). */
  onboot: number;
  /** File the log lines go to instead of stderr. */
  log?: string;
  /** The Proxmox VE release the API answers as. */
  pveVersion: PveReleaseName;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const schema = z.object({
  clusters: z.coerce.number().int().min(1).max(2),
  nodes: z.coerce.number().int().min(1).max(9),
  port: z.coerce.number().int().min(0).max(65535),
  'spice-port': z.coerce.number().int().min(0).max(65535).optional(),
  state: z.string().min(1),
  guests: z.coerce.number().int().min(0).max(100_000),
  fresh: z.boolean(),
  'clock-control': z.boolean(),
  'ticket-lifetime': z.coerce.number().int().min(5).max(7200),
  'auth-delay-ms': z.coerce.number().int().min(0).max(3000),
  'unreachable-delay-ms': z.coerce.number().int().min(0).max(30_000),
  onboot: z.coerce.number().int().min(0).max(2),
  log: z.string().min(1).optional(),
  'pve-version': z.enum(PVE_RELEASE_NAMES as [PveReleaseName, ...PveReleaseName[]]),
});

export const USAGE = `usage: npm run lab -- [--clusters 1|2] [--nodes N] [--port 8006] [--spice-port 3128] [--state DIR] [--guests N] [--fresh] [--ticket-lifetime SECONDS] [--clock-control] [--auth-delay-ms MS] [--unreachable-delay-ms MS] [--onboot 0..2] [--log FILE] [--pve-version 8.4|9]`;

export function parseLabOptions(argv: string[]): LabOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clusters: { type: 'string', default: '1' },
      nodes: { type: 'string', default: '3' },
      port: { type: 'string', default: '8006' },
      'spice-port': { type: 'string' },
      state: { type: 'string', default: resolve(repoRoot, '.lab-state') },
      guests: { type: 'string', default: '0' },
      fresh: { type: 'boolean', default: false },
      'clock-control': { type: 'boolean', default: false },
      'ticket-lifetime': { type: 'string', default: '7200' },
      'auth-delay-ms': { type: 'string', default: '3000' },
      'unreachable-delay-ms': { type: 'string', default: '3000' },
      onboot: { type: 'string', default: '2' },
      log: { type: 'string' },
      'pve-version': { type: 'string', default: '9' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  const parsed = schema.parse(values);
  const port = parsed.port;
  // PVE's spice proxy listens on 3128; with another API port (tests in parallel) it takes a free port.
  const spicePort = parsed['spice-port'] ?? (port === 8006 ? 3128 : 0);
  return {
    clusters: parsed.clusters,
    nodes: parsed.nodes,
    port,
    spicePort,
    state: resolve(parsed.state),
    guests: parsed.guests,
    fresh: parsed.fresh,
    clockControl: parsed['clock-control'],
    ticketLifetime: parsed['ticket-lifetime'],
    authDelayMs: parsed['auth-delay-ms'],
    unreachableDelayMs: parsed['unreachable-delay-ms'],
    onboot: parsed.onboot,
    pveVersion: parsed['pve-version'],
    ...(parsed.log === undefined ? {} : { log: resolve(parsed.log) }),
  };
}
