import { z } from 'zod';
import { profileIdSchema } from '../../domain/connections';
import type { ConsoleSession, RemoteViewerLaunch } from '../../domain/consoles';
import { shellPaths } from '../../domain/consoles';
import { nodeNameSchema, vmidSchema } from './inventory';
import { method } from './method';

const guestConsole = { profileId: profileIdSchema, node: nodeNameSchema, vmid: vmidSchema };

/** Which console to open: a guest's display (VNC or SPICE) or serial terminal, or a node's shell. */
export const consoleTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vnc'), ...guestConsole }).strict(),
  z.object({ kind: z.literal('spice'), ...guestConsole }).strict(),
  z.object({ kind: z.literal('serial'), ...guestConsole }).strict(),
  z.object({ kind: z.literal('shell'), profileId: profileIdSchema, node: nodeNameSchema, via: z.enum(shellPaths) }).strict(),
]);
export type ConsoleTarget = z.infer<typeof consoleTargetSchema>;

export const consolesMethods = {
  /**
   * Main makes the PVE calls (vncproxy / spiceproxy / termproxy, or an SSH shell) and answers a single-use relay URL
   * bound to the calling window. A stopped guest answers `NOT_RUNNING`; a guest that moved is looked up on its new node.
   */
  'consoles.open': method<ConsoleSession>()(consoleTargetSchema),
  /** Writes a `.vv` file (mode 0600, the self-healed proxy), starts remote-viewer on it and deletes the file once read. */
  'consoles.openRemoteViewer': method<RemoteViewerLaunch>()(z.object(guestConsole).strict()),
} as const;
