import { describe, expect, it } from 'vitest';
import { ipcErrorCodes, IpcError } from '../../shared/ipc/errors';
import { i18n } from '../i18n';
import { en } from '../i18n/en';
import { describeError } from './describe-error';

const t = (key: string) => `<${key}>`;

describe('describeError', () => {
  it('translates the code and adds the host detail', () => {
    expect(describeError(t, new IpcError('BAD_INPUT', 'Invalid input for settings.update: theme'))).toBe(
      '<errors.BAD_INPUT> (Invalid input for settings.update: theme)',
    );
  });
  it('never shows the text of an unexpected error', () => {
    expect(describeError(t, new Error('stack of secrets'))).toBe('<errors.INTERNAL>');
  });
  it('describes the error a connection state carries, even with a code it does not know', () => {
    expect(describeError(t, { code: 'TLS_MISMATCH', message: 'The certificate changed.' })).toBe('<errors.TLS_MISMATCH> (The certificate changed.)');
    expect(describeError(t, { code: 'SOMETHING_NEW', message: 'detail' })).toBe('<errors.INTERNAL> (detail)');
  });
  it('shows the host’s detail in the window’s language when the host wrote it in that one', () => {
    const error = new IpcError('NOT_FOUND', { en: 'This job is no longer listed.', fr: 'Cette tâche n’est plus listée.' });
    const state = { code: 'NOT_FOUND', message: 'Gone.', translations: { fr: 'Disparu.' } };
    expect(describeError(t, error)).toBe('<errors.NOT_FOUND> (This job is no longer listed.)');
    i18n.global.locale.value = 'fr';
    try {
      expect(describeError(t, error)).toBe('<errors.NOT_FOUND> (Cette tâche n’est plus listée.)');
      expect(describeError(t, state)).toBe('<errors.NOT_FOUND> (Disparu.)');
      expect(describeError(t, new IpcError('NOT_FOUND', 'English only.'))).toBe('<errors.NOT_FOUND> (English only.)');
    } finally {
      i18n.global.locale.value = 'en';
    }
  });
  it('has a sentence for every code the host may send', () => {
    for (const code of ipcErrorCodes) expect(en.errors[code], code).toBeTruthy();
  });
});
