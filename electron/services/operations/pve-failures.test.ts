import { describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors';
import { PveError } from '../pve';
import { translatePveFailure } from './pve-failures';

function serverError(status: number, serverMessage: string, errors?: Record<string, string>): PveError<'SERVER_ERROR'> {
  return new PveError('SERVER_ERROR', serverMessage, {
    endpoint: 'https://127.0.0.1:8006',
    status,
    serverMessage,
    ...(errors !== undefined ? { errors } : {}),
  });
}

describe('translatePveFailure', () => {
  it('makes a digest mismatch a CONFLICT', () => {
    for (const message of ['detected modified configuration - file changed by other user? Try again.', 'update VM 100: checksum missmatch']) {
      const translated = translatePveFailure(serverError(500, message));
      expect(translated).toBeInstanceOf(IpcError);
      expect((translated as IpcError).code).toBe('CONFLICT');
    }
  });

  it('makes a 400 with per-parameter errors a BAD_INPUT naming the fields', () => {
    const translated = translatePveFailure(
      serverError(400, 'Parameter verification failed.', { name: 'invalid format - value does not look like a valid DNS name' }),
    );
    expect((translated as IpcError).code).toBe('BAD_INPUT');
    expect((translated as IpcError).message).toContain('name: invalid format');
  });

  it("writes its own sentences in French too, PVE's texts quoted as they are", () => {
    const conflict = translatePveFailure(serverError(500, 'update VM 100: checksum missmatch')) as IpcError;
    expect(conflict.translations?.fr).toBe(
      'Quelqu’un d’autre a modifié cette configuration depuis sa lecture. Rien n’a été écrit : rechargez-la, puis refaites la modification.',
    );
    const refused = translatePveFailure(
      serverError(400, 'Parameter verification failed.', { name: 'invalid format ', cores: 'value must be at least 1' }),
    ) as IpcError;
    expect(refused.message).toBe('PVE refused these values. Correct them and try again. name: invalid format; cores: value must be at least 1');
    expect(refused.translations?.fr).toBe('PVE a refusé ces valeurs. Corrigez-les, puis réessayez. name : invalid format ; cores : value must be at least 1');
  });

  it('leaves other failures to the router', () => {
    const other = serverError(500, "VM 100 is running - can't destroy");
    expect(translatePveFailure(other)).toBe(other);
    const denied = new PveError('PERMISSION_DENIED', 'Permission check failed', { serverMessage: 'Permission check failed' });
    expect(translatePveFailure(denied)).toBe(denied);
  });
});
