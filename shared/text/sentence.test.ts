import { describe, expect, it } from 'vitest';
import { IpcError } from '../ipc/errors';
import { asSentence, carriedMessage, DescribedError, inLocale, sentenceOfError } from './sentence';

describe('messages written in the app’s languages', () => {
  it('keeps the English text as the message and the others as translations', () => {
    expect(carriedMessage({ en: 'The job was cancelled.', fr: 'La tâche a été annulée.' })).toEqual({
      message: 'The job was cancelled.',
      translations: { fr: 'La tâche a été annulée.' },
    });
    expect(carriedMessage('Only English.')).toEqual({ message: 'Only English.' });
  });

  it('shows the translation for its language and English for any other, or when there is none', () => {
    const message = { message: 'Refresh the list.', translations: { fr: 'Actualisez la liste.' } };
    expect(inLocale(message, 'fr')).toBe('Actualisez la liste.');
    expect(inLocale(message, 'en')).toBe('Refresh the list.');
    expect(inLocale(message, 'de')).toBe('Refresh the list.');
    expect(inLocale({ message: 'Refresh the list.' }, 'fr')).toBe('Refresh the list.');
    expect(inLocale({ message: 'Refresh the list.', translations: { fr: '' } }, 'fr')).toBe('Refresh the list.');
  });

  it('gives an error the English message (logs, other code) and carries the translations', () => {
    const error = new DescribedError({ en: 'Disk full.', fr: 'Disque plein.' }, { cause: new Error('ENOSPC') });
    expect(error.message).toBe('Disk full.');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.carried()).toEqual({ message: 'Disk full.', translations: { fr: 'Disque plein.' } });
    expect(new DescribedError('Plain.').carried()).toEqual({ message: 'Plain.' });
  });

  it('puts any error in a sentence of every language, English where it has no translation', () => {
    expect(sentenceOfError(new DescribedError({ en: 'Disk full.', fr: 'Disque plein.' }))).toEqual({ en: 'Disk full.', fr: 'Disque plein.' });
    expect(sentenceOfError(new Error('ECONNRESET'))).toEqual({ en: 'ECONNRESET', fr: 'ECONNRESET' });
    expect(sentenceOfError('thrown text')).toEqual({ en: 'thrown text', fr: 'thrown text' });
  });

  it('takes a text from outside as the same words in every language, and a sentence as it is', () => {
    expect(asSentence('/dev/sda')).toEqual({ en: '/dev/sda', fr: '/dev/sda' });
    const sentence = { en: 'the source disk', fr: 'le disque source' };
    expect(asSentence(sentence)).toBe(sentence);
  });

  it('crosses IPC with its translations and comes back the same', () => {
    const payload = new IpcError('NOT_FOUND', { en: 'Gone.', fr: 'Disparu.' }).toPayload();
    expect(payload).toEqual({ code: 'NOT_FOUND', message: 'Gone.', translations: { fr: 'Disparu.' } });
    const again = IpcError.fromPayload(JSON.parse(JSON.stringify(payload)) as typeof payload);
    expect(again.code).toBe('NOT_FOUND');
    expect(again.carried()).toEqual({ message: 'Gone.', translations: { fr: 'Disparu.' } });
    expect(IpcError.fromPayload({ code: 'FROM_THE_FUTURE', message: 'x' }).code).toBe('INTERNAL');
  });
});
