/**
 * What the renderer saw of the consoles, for the secrets scan: every text
 * frame the page received on its WebSockets (the web host's IPC answers,
 * `consoles.open`'s `ConsoleSession` among them) and the first bytes each
 * relay socket sent (the RFB handshake the viewer got).
 *
 * PVE's console secrets have shapes a scan finds wherever they are copied:
 * vncproxy's `ticket` is `<password>:PVEVNC:<hex time>::<signature>` (the VNC
 * password in front), termproxy's is `PVEVNC:…`, spiceproxy's `password` goes
 * with a `host` ticket `pvespiceproxy:…`, login tickets are `PVE:<userid>:…`
 * and travel as `PVEAuthCookie` with a `CSRFPreventionToken`.
 */
import type { Page } from 'playwright-core';

export const secretShapes: readonly RegExp[] = [
  /PVEVNC:[0-9A-F]{8}/,
  /PVE:[^:\s"]+@[^:\s"]+:[0-9A-F]{8}/,
  /pvespiceproxy:/,
  /PVEAuthCookie/i,
  /CSRFPreventionToken/i,
];

/** What a `ConsoleSession` may carry (shared/domain/consoles.ts): anything else in an answer is a leak to look at. */
export const consoleSessionFields = new Set([
  'kind',
  'url',
  'protocols',
  'expiresInMs',
  'title',
  'profileId',
  'node',
  'vmid',
  'clipboardSharing',
  'vncClipboard',
  'keyboard',
  'spicePath',
  'audio',
]);

export interface RendererTraffic {
  /** Every text frame the page received, in order. */
  texts: string[];
  /** The console sessions found in those frames (objects with a relay `url` and `protocols`). */
  sessions: Record<string, unknown>[];
  /** Per relay socket, the first bytes it sent to the viewer. */
  relayOpenings: Buffer[];
}

/** Objects with a relay URL anywhere inside a parsed frame. */
function sessionsIn(value: unknown, found: Record<string, unknown>[]): void {
  if (Array.isArray(value)) {
    for (const item of value) sessionsIn(item, found);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.url === 'string' && record.url.includes('/relay/') && Array.isArray(record.protocols)) found.push(record);
    for (const item of Object.values(record)) sessionsIn(item, found);
  }
}

/** Starts recording what `page` receives on its WebSockets, from a reload of the page on (its IPC socket included). */
export async function watchRendererTraffic(page: Page): Promise<RendererTraffic> {
  const traffic: RendererTraffic = { texts: [], sessions: [], relayOpenings: [] };
  page.on('websocket', (socket) => {
    const relay = socket.url().includes('/relay/');
    /** This socket's entry in `relayOpenings`, once it sent bytes. */
    let index: number | undefined;
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') {
        traffic.texts.push(payload);
        try {
          sessionsIn(JSON.parse(payload), traffic.sessions);
        } catch {
          // Not JSON: scanned as text only.
        }
      } else if (relay) {
        if (index === undefined) index = traffic.relayOpenings.push(Buffer.alloc(0)) - 1;
        const opening = traffic.relayOpenings[index] ?? Buffer.alloc(0);
        if (opening.length < 64) traffic.relayOpenings[index] = Buffer.concat([opening, payload]);
      }
    });
  });
  await page.reload();
  await page.getByTestId('task-log').waitFor();
  return traffic;
}

/** The secret shapes (and given literal secrets) found in `text`, named without repeating the secret itself. */
export function secretsIn(text: string, literals: readonly string[] = []): string[] {
  const found = secretShapes.filter((shape) => shape.test(text)).map((shape) => `shape ${shape.source}`);
  for (const [index, literal] of literals.entries()) if (literal.length >= 6 && text.includes(literal)) found.push(`literal secret #${index}`);
  return found;
}
