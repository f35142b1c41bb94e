import { describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors';
import { StorageError } from '../config';
import { type Logger, redact } from '../log';
import { PveError } from '../pve';
import { SecretsError } from '../secrets';
import { SshError } from '../ssh';
import { toErrorPayload } from './error-payload';

function recordingLogger(file?: string): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (event: string, fields?: Record<string, unknown>): void => void lines.push(`${event} ${JSON.stringify(redact(fields))}`);
  return { lines, debug: record, info: record, warn: record, error: record, ...(file !== undefined ? { file } : {}) };
}

const abortError = (): Error => {
  const controller = new AbortController();
  controller.abort();
  return controller.signal.reason as Error;
};

describe('toErrorPayload, the one mapping of thrown errors to what crosses IPC', () => {
  it.each([
    ['an IpcError', new IpcError('NOT_FOUND', 'This connection no longer exists.'), 'NOT_FOUND'],
    ['a PVE login failure', new PveError('AUTH_FAILED', 'Wrong password.', {}), 'AUTH_FAILED'],
    [
      'a PVE certificate mismatch',
      new PveError('TLS_MISMATCH', 'Not the pinned certificate.', { endpoint: 'a:8006', expected: 'AA', actual: 'BB' }),
      'TLS_MISMATCH',
    ],
    ['a PVE error status', new PveError('SERVER_ERROR', 'PVE said no.', { endpoint: 'a:8006', status: 500, serverMessage: 'no' }), 'SERVER_ERROR'],
    ['an SSH host key mismatch', new SshError('HOST_KEY_MISMATCH', 'The host key changed.'), 'SSH_HOST_KEY_MISMATCH'],
    ['an SSH key that cannot be used', new SshError('KEY_UNUSABLE', 'The key file is missing.'), 'SSH_AUTH_FAILED'],
    ['a dropped SSH connection', new SshError('DISCONNECTED', 'The connection dropped.'), 'SSH_FAILED'],
    ['a secrets failure', new SecretsError('NO_SECURE_STORAGE', 'No keychain answered.'), 'SECRETS_UNAVAILABLE'],
    ['a full disk', new StorageError('DISK_FULL', 'The disk is full; free some space.'), 'STORAGE_FAILED'],
    ['a read-only config folder', new StorageError('NOT_WRITABLE', 'The folder cannot be written.'), 'STORAGE_FAILED'],
  ] as const)('maps %s to its code and keeps its message', (_label, error, code) => {
    const logger = recordingLogger('/tmp/app.log');
    expect(toErrorPayload(error, { method: 'connections.connect', logger })).toEqual({ code, message: error.message });
    expect(logger.lines).toEqual([]);
  });

  it('maps work stopped by its AbortSignal (a cancelled job) to CANCELLED', () => {
    const logger = recordingLogger();
    expect(toErrorPayload(abortError(), { method: 'jobs.cancel', logger })).toMatchObject({ code: 'CANCELLED' });
    expect(logger.lines).toEqual([]);
  });

  it('logs an unmapped error with its stack and names the log file in an INTERNAL message without the details', () => {
    const logger = recordingLogger('/home/ada/.config/pve-desk/logs/main.log');
    const bug = new TypeError("Cannot read properties of undefined (reading 'secret=hunter2')");
    const payload = toErrorPayload(bug, { method: 'settings.update', logger });
    expect(payload.code).toBe('INTERNAL');
    expect(payload.message).toContain('settings.update');
    expect(payload.message).toContain('/home/ada/.config/pve-desk/logs/main.log');
    expect(payload.message).not.toContain('hunter2');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('ipc.handler-failed');
    expect(logger.lines[0]).toContain('error-payload.test.ts');
  });

  it('says the log goes to standard error when the logger has no file', () => {
    const payload = toErrorPayload('a thrown string', { method: 'app.info', logger: recordingLogger() });
    expect(payload).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('standard error') as unknown });
  });
});
