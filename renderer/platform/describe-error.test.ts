import { describe, expect, it } from 'vitest';
import { IpcError } from '../../shared/ipc/errors';
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
});
