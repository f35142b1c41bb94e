import { appendFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateFolder, restrictToOwner } from '../config';
import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** Where the lines go, so a message about an unexpected failure can tell the user where to look. */
  readonly file?: string;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured log: one JSON object a line, in a file and on stderr. Every field
 * goes through `redact`, so a secret handed to the logger by mistake is masked
 * rather than written.
 */
export function createLogger(options: { file?: string; minLevel?: LogLevel; echo?: boolean }): Logger {
  const minRank = levelRank[options.minLevel ?? 'info'];
  if (options.file !== undefined) {
    // Log lines name servers, users and paths: the folder and the file are the user's only.
    ensurePrivateFolder(dirname(options.file));
    if (existsSync(options.file)) restrictToOwner(options.file);
  }

  let fileFailing = false;

  // A log that cannot be written (full disk, folder removed) must never fail the operation being
  // logged: the line still goes to stderr, and stderr says once that the file stopped and once that it is back.
  function appendToFile(file: string, line: string): void {
    try {
      // The failed write may have left part of a line: start the next one on a line of its own.
      appendFileSync(file, fileFailing ? `\n${line}` : line, { mode: 0o600 });
      if (fileFailing) process.stderr.write(`The log file ${file} can be written again.\n`);
      fileFailing = false;
    } catch (error) {
      if (!fileFailing)
        process.stderr.write(
          `The log file ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}); log lines go to stderr only until it can.\n`,
        );
      fileFailing = true;
    }
  }

  function write(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (levelRank[level] < minRank) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...(redact(fields) as object) }) + '\n';
    if (options.file !== undefined) appendToFile(options.file, line);
    if ((options.echo ?? true) || fileFailing) process.stderr.write(line);
  }

  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    ...(options.file !== undefined ? { file: options.file } : {}),
  };
}

/** For tests and tools that must not write anywhere. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
