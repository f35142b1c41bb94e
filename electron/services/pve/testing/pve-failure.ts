/** Reading the PveError a client call fails with, for the client's unit and lab tests alike. */
import { expect } from 'vitest';
import { PveError, type PveErrorCode } from '../errors';

/** The PveError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<PveError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PveError)) throw new Error(`expected a PveError, got ${String(error)}`);
  return error;
}

/** Expects `code`, showing the error's message when it is another. */
export function expectCode(error: PveError, code: PveErrorCode): void {
  expect(error.code, error.message).toBe(code);
}
