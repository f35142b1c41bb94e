import { appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The lab's log: to stderr, or appended to a file. The lines name accounts,
 * ports and state paths, so the file is readable by this user only (0600 in
 * a 0700 folder), an existing one included.
 */
export function createLabLog(file?: string): (line: string) => void {
  if (file === undefined) return (line) => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, '', { mode: 0o600 });
  chmodSync(file, 0o600);
  return (line) => appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}
