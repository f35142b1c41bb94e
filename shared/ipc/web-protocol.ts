import { z } from 'zod';
import type { IpcEnvelope } from './errors';

/** Messages of the web host's WebSocket, which carries the same calls as Electron's IPC. */
export const webSocketPath = '/ipc';
export const webSocketProtocol = 'pve-desk.ipc.v1';
/** The credential travels as a second subprotocol so it never appears in a URL or log line. */
export const webTokenProtocolPrefix = 'token.';

/**
 * Close codes the page can act on. A browser cannot read the status of a
 * refused handshake, so a refused credential is told after the handshake.
 */
export const webCloseCodes = {
  /** The launch token was already used, or the credential belongs to an earlier launch. */
  credentialRefused: 4401,
} as const;

export const webRequestSchema = z
  .object({
    id: z.number().int().nonnegative(),
    method: z.string().max(200),
    input: z.unknown(),
  })
  .strict();

export type WebRequest = z.infer<typeof webRequestSchema>;

export type WebServerMessage =
  /** Always the first message: the credential this tab presents from now on (the launch token is spent). */
  { kind: 'session'; credential: string } | { kind: 'response'; id: number; envelope: IpcEnvelope } | { kind: 'event'; event: string; payload: unknown };
