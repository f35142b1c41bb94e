import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpiceProxyAnswer } from '../../pve';

/**
 * The `.vv` file remote-viewer (virt-viewer) opens: `[virt-viewer]` then `key=value` lines, the keys of PVE's
 * spiceproxy answer as PVE's web UI writes them, but with the proxy the relay found reachable. It holds the proxy
 * ticket and the SPICE password: it lives in a private folder, readable by the user only, and asks remote-viewer to
 * delete it once read (`delete-this-file=1`).
 */

/** The answer's keys remote-viewer knows, in the order PVE's UI writes them; the proxy is replaced. */
const answerKeys = ['type', 'title', 'host', 'tls-port', 'password', 'ca', 'host-subject', 'secure-attention', 'release-cursor', 'toggle-fullscreen'] as const;

/** One line per key: a line break inside a value would start a key of the server's choosing, so it is refused. */
function line(key: string, value: string | number): string {
  const text = String(value);
  if (/[\r\n]/.test(text)) throw new Error(`the spiceproxy answer's ${key} spans several lines`);
  return `${key}=${text}\n`;
}

export function vvFileContent(answer: SpiceProxyAnswer, proxy: string): string {
  const lines = answerKeys.flatMap((key) => (answer[key] === undefined ? [] : [line(key, answer[key])]));
  return `[virt-viewer]\n${lines.join('')}${line('proxy', proxy)}${line('delete-this-file', 1)}`;
}

/** A `.vv` file in its own folder (mode 0700), the file mode 0600; `remove` deletes both and may run more than once. */
export interface VvFile {
  path: string;
  remove(): void;
}

export function writeVvFile(content: string, parent = tmpdir()): VvFile {
  const folder = mkdtempSync(join(parent, 'pve-desk-vv-'));
  const path = join(folder, 'console.vv');
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
