import type { FormValidationStatus } from 'naive-ui';

/** Translated field errors, keyed by the draft path (see profile-draft.ts). */
export type FieldErrors = Readonly<Record<string, string>>;

/** The props an NFormItem needs to show the error of one field, if it has one. */
export function feedback(errors: FieldErrors, path: string): { validationStatus?: FormValidationStatus; feedback?: string } {
  const message = errors[path];
  return message === undefined ? {} : { validationStatus: 'error', feedback: message };
}
