import { z } from 'zod';
import type { IpcEnvelope } from './errors';

/** Messages of the web host's WebSocket, which carries the same calls as Electron's IPC. */
export const webSocketPath = '/ipc';
export const webSocketProtocol = 'pve-desk.ipc.v1';
/** The launch token travels as a second subprotocol so it never appears in a URL or log line. */
export const webTokenProtocolPrefix = 'token.';

export const webRequestSchema = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(200),
    input: z.unknown(),
  })
  .strict();

export type WebRequest = z.infer<typeof webRequestSchema>;

export type WebServerMessage =
  | { kind: 'response'; id: number; envelope: IpcEnvelope }
  | { kind: 'event'; event: string; payload: unknown };
