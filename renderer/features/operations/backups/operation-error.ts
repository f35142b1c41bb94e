import { IpcError } from '../../../../shared/ipc/errors';
import { describeError } from '../../../platform/describe-error';
import type { OperationError } from '../use-operation';

/** A failed read a dialog needs (storages, a free VMID) shown in its error alert, as a failed submit is. */
export function operationError(t: (key: string) => string, failure: unknown): OperationError {
  return { code: failure instanceof IpcError ? failure.code : 'INTERNAL', text: describeError(t, failure) };
}
